package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReferenceSolverTest {

  private static List<Task> all(Environment env) {
    return Stream.concat(env.tasks().train().stream(), env.tasks().test().stream()).toList();
  }

  @Test
  void referenceAgentSolvesEveryTaskOfEverySplitAndItsCallsReplay() {
    for (long seed : new long[] {MiniAppWorldSettings.DEFAULT_SEED, 7}) {
      Map<String, String> options = Map.of("seed", Long.toString(seed));
      Environment env = EnvironmentRegistry.load().create("miniappworld", options);
      Environment replayer = EnvironmentRegistry.load().create("miniappworld", options);
      ReferenceAgent agent = env.referenceAgent().orElseThrow();
      List<String> failures = new ArrayList<>();
      for (Task task : all(env)) {
        Trajectory t = Episodes.play(env, task, agent, 40);
        StepResult last = t.turns().get(t.turns().size() - 1).result();
        if (!(last.done() && t.metrics().success() && t.metrics().completion() == 1.0 && t.totalReward() == 1.0)) {
          failures.add(task.id() + " " + last.info() + " " + last.observation());
        }
        assertTrue(t.turns().stream().allMatch(turn -> turn.result().actionValid()
            && Boolean.TRUE.equals(turn.result().info().get("ok"))), task.id() + " had an error turn");
        // what `--actions-file` does: the same texts, through formatAction and step, on another instance
        replayer.reset(task);
        StepResult replayed = null;
        for (Trajectory.Turn turn : t.turns()) {
          replayed = replayer.step(replayer.formatAction(turn.actionText()));
          assertEquals(turn.result().observation(), replayed.observation(), task.id());
        }
        assertEquals(true, replayed.info().get("tgcPassed"), task.id());
        assertTrue(replayer.metrics().success(), task.id());
      }
      assertEquals(List.of(), failures, "seed " + seed);
    }
  }

  @Test
  void theAgentIsGivenOnlyWhatTheInstructionSays() {
    for (TaskSpec spec : TaskCatalog.of(MiniAppWorldSettings.DEFAULT_SEED).specs()) {
      spec.slots().forEach((name, value) -> assertTrue(spec.instruction().contains(value),
          spec.task().id() + ": slot " + name + "=" + value + " is not in the instruction"));
    }
  }

  @Test
  void episodesOnParallelThreadsStayIndependent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        int offset = worker;
        runs.add(pool.submit(() -> {
          MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.DEFAULTS);
          ReferenceAgent agent = env.referenceAgent().orElseThrow();
          List<Task> tasks = all(env);
          List<String> failed = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            Task task = tasks.get((i * 3 + offset) % tasks.size());
            if (!Episodes.play(env, task, agent, 40).metrics().success()) {
              failed.add(task.id());
            }
          }
          return failed;
        }));
      }
      for (Future<List<String>> run : runs) {
        assertEquals(List.of(), run.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
