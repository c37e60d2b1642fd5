package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import io.skillsd.environments.TaskSet;
import io.skillsd.environments.Trajectory;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The skill-sd task set, the registry entry and the agents. */
class SokobanTaskSetTest {

  private static final Environment SKILL_SD =
      EnvironmentRegistry.load().create("sokoban", Map.of("preset", "skill-sd"));

  @Test
  void skillSdHas96CurriculumOrderedTrainingLevelsAnd64DisjointTestLevels() {
    TaskSet tasks = SKILL_SD.tasks();
    assertEquals(96, tasks.train().size());
    assertEquals(64, tasks.test().size());
    for (int i = 1; i < tasks.train().size(); i++) {
      assertTrue(tasks.train().get(i - 1).difficulty() <= tasks.train().get(i).difficulty(), "curriculum order");
    }
    assertTrue(tasks.train().get(0).difficulty() < tasks.train().get(95).difficulty());
    SokobanLevels levels = new SokobanLevels(SokobanSettings.skillSd());
    Set<String> renders = new HashSet<>();
    Stream.concat(tasks.train().stream(), tasks.test().stream()).forEach(t -> {
      ProvenLevel p = levels.levelFor(t.seed());
      assertEquals(p.optimalLength(), t.difficulty(), t.id());
      assertTrue(renders.add(p.level().render()), "duplicate level " + t.id());
    });
    assertEquals("sokoban/skill-sd/train/000", tasks.train().get(0).id());
    assertEquals(tasks, SKILL_SD.tasks());
  }

  @Test
  void referenceAgentSolvesEveryTestLevel() {
    for (Task task : SKILL_SD.tasks().test()) {
      Trajectory t = Episodes.play(SKILL_SD, task, SKILL_SD.referenceAgent().orElseThrow(), 100);
      assertTrue(t.metrics().success(), task.id());
      assertEquals(1.0, t.metrics().completion());
      // Two boxes, optimal plan: the reward is -0.1 per step, +1 per box placed (net), +10 at the end.
      SokobanAnalysis a = SokobanAnalysis.of(t);
      assertEquals(task.difficulty(), a.steps());
      assertTrue(a.wastedSteps().isEmpty() && a.deadlocks().isEmpty(), task.id());
      long net = a.pushes().stream().filter(SokobanAnalysis.Push::ontoTarget).count()
          - a.pushes().stream().filter(SokobanAnalysis.Push::offTarget).count();
      assertEquals(2, net);
      assertEquals(-0.1 * a.steps() + 2 + 10, t.totalReward(), 1e-9);
    }
  }

  @Test
  void randomAgentIsReproducible() {
    Task task = SKILL_SD.tasks().test().get(3);
    Trajectory a = Episodes.play(SKILL_SD, task, new SokobanRandomAgent(5), 100);
    Trajectory b = Episodes.play(SKILL_SD, task, new SokobanRandomAgent(5), 100);
    assertEquals(a.turns().stream().map(Trajectory.Turn::actionText).toList(),
        b.turns().stream().map(Trajectory.Turn::actionText).toList());
    assertTrue(a.turns().stream().allMatch(t -> t.result().actionValid()));
  }

  @Test
  void taskForSeedGivesTheSeedsLevel() {
    Task t = SKILL_SD.taskForSeed(7).orElseThrow();
    assertEquals(Split.TEST, t.split());
    assertEquals(7, t.seed());
    String obs = SKILL_SD.reset(t);
    assertEquals(new SokobanLevels(SokobanSettings.skillSd()).levelFor(7).level().render(),
        Level.parse(obs).render());
  }

  @Test
  void ragenTaskSetUsesRagensValidationSeeds() {
    TaskSet tasks = SokobanLevels.taskSet(SokobanSettings.fromOptions(
        Map.of("train-size", "8", "test-size", "4")));
    assertEquals(8, tasks.train().size());
    assertEquals(List.of(123L, 124L, 125L, 126L), tasks.test().stream().map(Task::seed).toList());
  }
}
