package io.skillsd.actors.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.environments.EnvironmentRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rollout benchmark's workloads: slots that play several episodes back to back, and the batched modes
 * seeing the same rounds.
 */
class RolloutBenchTest {

  private static RolloutBench bench(TrainingModels models, PolicyServerActor.Batching batching) {
    return new RolloutBench(models, () -> EnvironmentRegistry.load().create("sokoban", Map.of()),
        ConfigFactory.load(), 6, 32, batching);
  }

  @ParameterizedTest
  @EnumSource(PolicyServerActor.Batching.class)
  void slotsPlayTheirEpisodesBackToBackAndTheBatchedModesSampleTheSame(PolicyServerActor.Batching batching) {
    try (TrainingModels models = TrainingModels.load("builtin:tiny", 0); RolloutBench bench = bench(models, batching)) {
      RolloutBench.Measurement plain = bench.plainLoop(2, 3, 7);
      RolloutBench.Measurement batched = bench.actors(2, 3, 7, Integer.MAX_VALUE);
      RolloutBench.Measurement single = bench.actors(2, 3, 7, 1);
      for (RolloutBench.Measurement m : new RolloutBench.Measurement[] {plain, batched, single}) {
        assertEquals(6, m.episodes(), m.toString());
        assertTrue(m.turns() >= 6 && m.sampledTokens() >= m.turns(), m.toString());
      }
      // Lockstep: rounds of every running episode in episode order, with a slot's next episode joining the
      // round after its predecessor's last. Continuous: a turn whose answer ended is followed by its
      // episode's next turn (or the slot's next episode) at the next step. Either way the actors' steps are
      // the plain loop's, and so are the samples.
      assertEquals(plain.turns(), batched.turns(), plain + " / " + batched);
      assertEquals(plain.sampledTokens(), batched.sampledTokens(), plain + " / " + batched);
      // More episodes per slot play more turns than one launch of the same slots.
      assertTrue(bench.plainLoop(2, 1, 7).turns() < plain.turns());
    }
  }

  @Test
  void anEmptyWorkloadIsRefused() {
    try (TrainingModels models = TrainingModels.load("builtin:tiny", 0);
        RolloutBench bench = bench(models, PolicyServerActor.Batching.CONTINUOUS)) {
      assertThrows(IllegalArgumentException.class, () -> bench.plainLoop(2, 0, 7));
      assertThrows(IllegalArgumentException.class, () -> bench.actors(0, 1, 7, 1));
    }
  }
}
