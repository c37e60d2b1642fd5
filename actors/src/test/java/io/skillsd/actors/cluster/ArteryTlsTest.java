package io.skillsd.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.skillsd.actors.serialization.ClusterMessage;
import io.skillsd.actors.serialization.NodeProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over TLS as docs/CLUSTER.md configures it: with a self-signed key pair made by {@code keytool},
 * two nodes that share it talk; a node with a key the other does not trust is not heard.
 */
class ArteryTlsTest {

  private static final String PASSWORD = "skillsd-test";

  private static Path keyStore(Path dir, String name) throws IOException, InterruptedException {
    Path file = dir.resolve(name + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", file.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed");
    }
    return file;
  }

  private static Config tls(Path store) {
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.empty()
        .withValue("akka.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
        .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(0))
        .withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(store.toString()))
        .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(store.toString()))
        .withValue(engine + "key-store-password", ConfigValueFactory.fromAnyRef(PASSWORD))
        .withValue(engine + "key-password", ConfigValueFactory.fromAnyRef(PASSWORD))
        .withValue(engine + "trust-store-password", ConfigValueFactory.fromAnyRef(PASSWORD))
        .withValue(engine + "enabled-algorithms", ConfigValueFactory.fromIterable(
            List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")))
        // Shutting the three systems down is not what this test checks. Each takes 0.1-1 s here, but
        // on a loaded 2-core CI machine one outlived the test kit's 10 s and failed a test whose
        // assertions had all passed: allow 30 s, and report a slower shutdown instead of failing.
        .withValue("akka.actor.testkit.typed.system-shutdown-default", ConfigValueFactory.fromAnyRef("30s"))
        .withValue("akka.actor.testkit.typed.throw-on-shutdown-timeout", ConfigValueFactory.fromAnyRef(false))
        .withFallback(ConfigFactory.parseResources("skillsd-cluster.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  @Test
  void nodesSharingATrustedKeyTalkOverTlsAndAStrangerIsNotHeard(@TempDir Path dir) throws Exception {
    Path shared = keyStore(dir, "skillsd-node");
    Path stranger = keyStore(dir, "stranger");
    ActorTestKit a = ActorTestKit.create("skillsd", tls(shared));
    ActorTestKit b = ActorTestKit.create("skillsd", tls(shared));
    ActorTestKit c = ActorTestKit.create("skillsd", tls(stranger));
    try {
      TestProbe<ClusterMessage> inbox = a.createTestProbe();
      String address = ActorRefResolver.get(a.system()).toSerializationFormat(inbox.ref());

      ActorRef<ClusterMessage> fromStranger = ActorRefResolver.get(c.system()).resolveActorRef(address);
      fromStranger.tell(new NodeProtocol.Ping(1L, c.<NodeProtocol.Pong>createTestProbe().ref()));

      ActorRef<ClusterMessage> fromPeer = ActorRefResolver.get(b.system()).resolveActorRef(address);
      fromPeer.tell(new NodeProtocol.Ping(2L, b.<NodeProtocol.Pong>createTestProbe().ref()));

      ClusterMessage got = inbox.receiveMessage(Duration.ofSeconds(30));
      assertInstanceOf(NodeProtocol.Ping.class, got);
      assertEquals(2L, ((NodeProtocol.Ping) got).sentAtMillis(), "the peer's ping arrived over TLS");
      inbox.expectNoMessage(Duration.ofSeconds(3)); // the stranger's TLS handshake fails: never delivered
    } finally {
      c.shutdownTestKit();
      b.shutdownTestKit();
      a.shutdownTestKit();
    }
  }
}
