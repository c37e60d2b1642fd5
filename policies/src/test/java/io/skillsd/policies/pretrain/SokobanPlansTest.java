package io.skillsd.policies.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Task;
import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.SokobanAnalysis;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanSettings;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SokobanPlansTest {

  @Test
  void detoursSolveWithoutWasteAndAreLongerThanOptimal() {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    SplittableRandom rng = new SplittableRandom(3);
    int found = 0;
    for (Task task : env.tasks().train().subList(0, 60)) {
      Level level = Level.parse(env.reset(task));
      List<Direction> optimal = SokobanPlans.optimal(level, 10);
      assertTrue(SokobanAnalysis.of(level, optimal).solved());
      Optional<List<Direction>> detour = SokobanPlans.detour(level, 10, rng);
      if (detour.isPresent()) {
        found++;
        SokobanAnalysis a = SokobanAnalysis.of(level, detour.get());
        assertTrue(a.solved(), "a detour solves");
        assertEquals(List.of(), a.wastedSteps(), "a detour wastes no move");
        assertTrue(detour.get().size() > optimal.size() && detour.get().size() <= 10);
      }
    }
    // Small one-box rooms often have no loop-free longer solution within 10 moves (12 of these 60 have one).
    assertTrue(found >= 8, "detours are found on some levels: " + found);
  }

  @Test
  void wanderingPlansSolveAndAreFoundOnMostLevels() {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    SplittableRandom rng = new SplittableRandom(3);
    int found = 0;
    int wasteful = 0;
    for (Task task : env.tasks().train().subList(0, 60)) {
      Level level = Level.parse(env.reset(task));
      List<Direction> optimal = SokobanPlans.optimal(level, 10);
      Optional<List<Direction>> plan = SokobanPlans.wandering(level, 10, rng);
      if (plan.isPresent()) {
        found++;
        SokobanAnalysis a = SokobanAnalysis.of(level, plan.get());
        assertTrue(a.solved(), "a wandering plan solves");
        assertTrue(plan.get().size() > optimal.size() && plan.get().size() <= 10);
        wasteful += a.wastedSteps().isEmpty() ? 0 : 1;
      }
    }
    // 12 of these 60 levels have a loop-free detour (above); a wandering plan exists on most.
    assertTrue(found >= 50, "a wandering plan exists on most levels: " + found);
    assertTrue(wasteful > 0, "some wandering plans waste moves, unlike detours");
  }

  @Test
  void noisyPlansStayWithinTheBudget() {
    SplittableRandom rng = new SplittableRandom(5);
    List<Direction> plan = List.of(Direction.UP, Direction.UP, Direction.LEFT, Direction.DOWN, Direction.RIGHT,
        Direction.RIGHT, Direction.UP, Direction.LEFT, Direction.LEFT, Direction.DOWN);
    boolean changed = false;
    for (int i = 0; i < 200; i++) {
      List<Direction> c = SokobanPlans.corrupted(plan, 10, rng);
      assertTrue(c.size() >= 1 && c.size() <= 10);
      changed |= !c.equals(plan);
      List<Direction> r = SokobanPlans.random(10, rng);
      assertTrue(r.size() >= 1 && r.size() <= 10);
    }
    assertTrue(changed);
  }
}
