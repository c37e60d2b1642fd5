package io.skillsd.actors.serialization;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one id table of every class Kryo may write. <b>Append only</b>: an id, once given, never changes or
 * moves, so nodes built from different commits of the same release line agree on the wire. Every node
 * registers exactly this table with registration required; a class missing here cannot be sent.
 *
 * <p>Ids below {@link #FIRST_ID} are Kryo's own defaults (primitives, String, boxed numbers).
 */
public final class KryoRegistrations {

  /** The first id skillsd assigns. */
  public static final int FIRST_ID = 100;

  private static final Map<Class<?>, Integer> TABLE = build();

  private KryoRegistrations() {}

  private static Map<Class<?>, Integer> build() {
    List<Class<?>> ordered = new ArrayList<>();
    // 100..: JDK value types that appear inside messages.
    ordered.add(byte[].class);
    ordered.add(int[].class);
    ordered.add(long[].class);
    ordered.add(float[].class);
    ordered.add(double[].class);
    ordered.add(boolean[].class);
    ordered.add(String[].class);
    // The JDK's immutable collections (List.of, List.copyOf, Map.of, Set.of) by their runtime classes.
    ordered.add(List.of().getClass());
    ordered.add(List.of(1).getClass());
    ordered.add(Map.of().getClass());
    ordered.add(Map.of(1, 1).getClass());
    ordered.add(java.util.Set.of().getClass());
    ordered.add(java.util.Set.of(1).getClass());
    ordered.add(java.util.Optional.class);
    ordered.add(java.util.ArrayList.class);
    ordered.add(java.util.HashMap.class);
    ordered.add(java.util.LinkedHashMap.class);
    // 117..: Akka typed actor references (written as their serialization format).
    ordered.add(ActorRefSerializer.ADAPTER_CLASS);
    // 118..: skillsd messages, appended as they are added. Never reorder or remove a line.
    ordered.add(NodeProtocol.Ping.class);
    ordered.add(NodeProtocol.Pong.class);
    // 120..: what an episode and its result hold (environments, policies), and the rollout-worker protocol.
    ordered.add(io.skillsd.environments.Split.class);
    ordered.add(io.skillsd.environments.Task.class);
    ordered.add(io.skillsd.environments.EpisodeMetrics.class);
    ordered.add(io.skillsd.environments.StepResult.class);
    ordered.add(io.skillsd.environments.Trajectory.class);
    ordered.add(io.skillsd.environments.Trajectory.Turn.class);
    ordered.add(io.skillsd.policies.prompt.Transcript.class);
    ordered.add(io.skillsd.actors.rollout.Episode.class);
    ordered.add(io.skillsd.actors.rollout.EpisodeResult.class);
    ordered.add(UnmodifiableCollectionSerializers.MAP_CLASS);
    ordered.add(UnmodifiableCollectionSerializers.LIST_CLASS);
    ordered.add(io.skillsd.actors.cluster.RolloutWorkerProtocol.RunEpisode.class);
    ordered.add(io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsChunk.class);
    ordered.add(io.skillsd.actors.cluster.RolloutWorkerProtocol.EpisodeDone.class);
    ordered.add(io.skillsd.actors.cluster.RolloutWorkerProtocol.EpisodeFailed.class);
    ordered.add(io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsAck.class);
    ordered.add(io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsApplied.class);

    Map<Class<?>, Integer> table = new LinkedHashMap<>();
    int id = FIRST_ID;
    for (Class<?> c : ordered) {
      if (table.put(c, id++) != null) {
        throw new IllegalStateException("class registered twice: " + c.getName());
      }
    }
    return Collections.unmodifiableMap(table);
  }

  /** Class → id, in registration order. */
  public static Map<Class<?>, Integer> table() {
    return TABLE;
  }

  public static boolean isRegistered(Class<?> type) {
    return TABLE.containsKey(type);
  }
}
