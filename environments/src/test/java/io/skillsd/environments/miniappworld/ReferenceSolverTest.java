package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReferenceSolverTest {

  @Test
  void referenceAgentSolvesEveryTaskOfEverySplitThroughTheSpi() {
    for (long seed : new long[] {MiniAppWorldSettings.DEFAULT_SEED, 7}) {
      Environment env = EnvironmentRegistry.load().create("miniappworld", Map.of("seed", Long.toString(seed)));
      ReferenceAgent agent = env.referenceAgent().orElseThrow();
      List<String> failures = new ArrayList<>();
      List<Task> all = Stream.concat(env.tasks().train().stream(), env.tasks().test().stream()).toList();
      for (Task task : all) {
        Trajectory t = Episodes.play(env, task, agent, 40);
        var last = t.turns().get(t.turns().size() - 1).result();
        if (!(last.done() && t.metrics().success() && t.metrics().completion() == 1.0 && t.totalReward() == 1.0)) {
          failures.add(task.id() + " " + last.info() + " " + last.observation());
        }
        assertTrue(t.turns().stream().allMatch(turn -> turn.result().actionValid()
            && Boolean.TRUE.equals(turn.result().info().get("ok"))), task.id() + " had an error turn");
      }
      assertEquals(List.of(), failures, "seed " + seed);
    }
  }
}
