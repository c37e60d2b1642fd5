package io.skillsd.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.actor.ExtendedActorSystem;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.skillsd.actors.serialization.ClusterMessage;
import io.skillsd.actors.serialization.KryoSerializer;
import io.skillsd.actors.serialization.NodeProtocol;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes over Artery on 127.0.0.1 (in this JVM): a message whose class the receiving node's id table
 * does not hold is rejected on arrival, while registered messages on the same connection get through; and
 * a node bound to loopback cannot be reached through another interface.
 */
class UnregisteredClassTest {

  /**
   * A message only the sending node has registered (bound to Kryo by the sender's configuration; not a
   * {@link ClusterMessage}, so the runtime's registration sweep leaves it alone).
   */
  record Foreign(String text) {}

  private static final Config NODE = ConfigFactory.parseResources("skillsd-cluster.conf")
      .withFallback(ConfigFactory.parseString("akka.remote.artery.canonical.port = 0"))
      .withFallback(ConfigFactory.load())
      .resolve();

  private static final ActorTestKit receiver = ActorTestKit.create("skillsd", ConfigFactory.parseString(
      "akka.remote.artery.canonical.port = 0").withFallback(NODE));
  private static final ActorTestKit sender = ActorTestKit.create("skillsd", ConfigFactory.parseString(
      "akka.remote.artery.canonical.port = 0\n"
          + "akka.actor.serializers.skillsd-kryo = \"io.skillsd.actors.cluster.ForeignKryoSerializer\"\n"
          + "akka.actor.serialization-bindings { \"io.skillsd.actors.cluster.UnregisteredClassTest$Foreign\" = skillsd-kryo }")
      .withFallback(NODE));

  @AfterAll
  static void shutdown() {
    sender.shutdownTestKit();
    receiver.shutdownTestKit();
  }

  @Test
  void theReceivingNodeRejectsAClassItHasNotRegistered() {
    TestProbe<Object> inbox = receiver.createTestProbe();
    String address = ActorRefResolver.get(receiver.system()).toSerializationFormat(inbox.ref());
    assertTrue(address.contains("@127.0.0.1:"), address);
    ActorRef<Object> remote = ActorRefResolver.get(sender.system()).resolveActorRef(address);
    TestProbe<NodeProtocol.Pong> pongs = sender.createTestProbe();

    remote.tell(new Foreign("written with an id the receiver does not know"));
    remote.tell(new NodeProtocol.Ping(42L, pongs.ref()));

    // Messages between two nodes arrive in order: the first to arrive is the ping, so the foreign one was dropped.
    Object first = inbox.receiveMessage(Duration.ofSeconds(20));
    assertInstanceOf(NodeProtocol.Ping.class, first);
    assertEquals(42L, ((NodeProtocol.Ping) first).sentAtMillis());
    inbox.expectNoMessage(Duration.ofMillis(500));

    // What the receiving node's serializer says about those bytes.
    byte[] bytes = new ForeignKryoSerializer((ExtendedActorSystem) Adapter.toClassic(sender.system()))
        .toBinary(new Foreign("x"));
    KryoSerializer kryo = new KryoSerializer((ExtendedActorSystem) Adapter.toClassic(receiver.system()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kryo.fromBinaryJava(bytes, null));
    assertTrue(e.getMessage().contains(Integer.toString(ForeignKryoSerializer.FOREIGN_ID)), e.getMessage());
  }

  @Test
  void aNodeBoundToLoopbackIsNotReachableOnOtherInterfaces() throws IOException {
    int port = (Integer) Cluster.get(receiver.system()).selfMember().address().port().get();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000); // reachable on loopback
    }
    Optional<InetAddress> other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst();
    assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address");
    assertThrows(IOException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(other.get(), port), 2_000);
      }
    }, "port " + port + " must not answer on " + other.get());
  }
}
