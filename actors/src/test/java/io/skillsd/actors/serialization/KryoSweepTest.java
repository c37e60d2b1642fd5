package io.skillsd.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Walks every {@link ClusterMessage} type of the runtime and round-trips a sample of each through the
 * serializer Akka picks for it. A new message type that is not in {@link KryoRegistrations} fails here;
 * {@link UnregisteredFixture} shows that the sweep catches exactly that.
 */
class KryoSweepTest {

  private static final ActorTestKit testKit = ActorTestKit.create("kryo-sweep");
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Object actorRef() {
    return testKit.createTestProbe().ref();
  }

  private static Set<Class<?>> runtimeMessageTypes() {
    return MessageSweep.messageTypes(MessageSweep.rootOf(ClusterMessage.class));
  }

  @Test
  void sweepFindsTheKnownProtocols() {
    Set<Class<?>> types = runtimeMessageTypes();
    assertTrue(types.contains(NodeProtocol.Ping.class), types.toString());
    assertTrue(types.contains(NodeProtocol.Pong.class), types.toString());
    assertTrue(types.contains(io.skillsd.actors.cluster.RolloutWorkerProtocol.RunEpisode.class), types.toString());
    assertTrue(types.contains(io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsChunk.class), types.toString());
    assertTrue(types.contains(io.skillsd.actors.cluster.RolloutWorkerProtocol.EpisodeDone.class), types.toString());
  }

  @Test
  void everyRuntimeMessageTypeIsRegistered() {
    List<String> missing = runtimeMessageTypes().stream()
        .filter(c -> !KryoRegistrations.isRegistered(c))
        .map(Class::getName)
        .collect(Collectors.toList());
    assertEquals(List.of(), missing, "add these to KryoRegistrations (append at the end)");
  }

  @Test
  void everyRuntimeMessageRoundTripsThroughKryo() {
    for (Class<?> type : runtimeMessageTypes()) {
      Object message = MessageSweep.sample(type, KryoSweepTest::actorRef);
      Serializer serializer = serialization.findSerializerFor(message);
      assertInstanceOf(KryoSerializer.class, serializer, type.getName() + " must be bound to Kryo");
      byte[] bytes = serialization.serialize(message).get();
      Object back = serialization.deserialize(bytes, serializer.identifier(), "").get();
      assertTrue(MessageSweep.deepEquals(message, back), type.getName() + " did not survive a round trip");
    }
  }

  @Test
  void sweepCatchesAnUnregisteredMessageType() {
    Set<Class<?>> testTypes = MessageSweep.messageTypes(MessageSweep.rootOf(UnregisteredFixture.class));
    List<Class<?>> missing = testTypes.stream().filter(c -> !KryoRegistrations.isRegistered(c)).collect(Collectors.toList());
    assertEquals(List.of(UnregisteredFixture.class), missing);

    Object fixture = MessageSweep.sample(UnregisteredFixture.class, KryoSweepTest::actorRef);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> serialization.serialize(fixture).get());
    assertTrue(e.getMessage().contains(UnregisteredFixture.class.getName()), e.getMessage());
  }

  @Test
  void idTableIsAppendOnlyFromTheFirstId() {
    Map<Class<?>, Integer> table = KryoRegistrations.table();
    int expected = KryoRegistrations.FIRST_ID;
    for (int id : table.values()) {
      assertEquals(expected++, id);
    }
    // Pinned: the first message ids. Changing them breaks wire compatibility between nodes.
    assertEquals(118, table.get(NodeProtocol.Ping.class));
    assertEquals(119, table.get(NodeProtocol.Pong.class));
  }

  @Test
  void javaSerializationIsOff() {
    assertFalse(testKit.system().settings().config().getBoolean("akka.actor.allow-java-serialization"));
  }

  /** A message type nobody registered: the sweep must report it and Kryo must refuse it. */
  record UnregisteredFixture(String text, int count) implements ClusterMessage {}
}
