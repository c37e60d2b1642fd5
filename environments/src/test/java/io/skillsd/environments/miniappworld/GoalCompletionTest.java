package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoalCompletionTest {

  private static GoalCompletion.TaskResult r(String id, boolean passed) {
    return GoalCompletion.TaskResult.of(new Task(id, Split.TEST, 1, 1), passed);
  }

  @Test
  void tgcCountsTasksAndSgcCountsWholeScenarios() {
    // scenario a: 3/3 passed; scenario b: 2/3; scenario c: 0/3 -> TGC 5/9, SGC 1/3
    GoalCompletion g = GoalCompletion.of(List.of(
        r("miniappworld/test/a/0-0", true), r("miniappworld/test/a/0-1", true), r("miniappworld/test/a/0-2", true),
        r("miniappworld/test/b/0-0", true), r("miniappworld/test/b/0-1", false), r("miniappworld/test/b/0-2", true),
        r("miniappworld/test/c/1-0", false), r("miniappworld/test/c/1-1", false), r("miniappworld/test/c/1-2", false)));
    assertEquals(new GoalCompletion(9, 5, 3, 1), g);
    assertEquals(5 / 9.0, g.tgc(), 1e-12);
    assertEquals(1 / 3.0, g.sgc(), 1e-12);
    assertEquals("TGC 0.556 (5/9 tasks), SGC 0.333 (1/3 scenarios)", g.toString());
    assertEquals("miniappworld/test/c/1", r("miniappworld/test/c/1-2", true).scenario());
  }

  @Test
  void emptyAndDuplicateInputs() {
    assertEquals(0.0, GoalCompletion.of(List.of()).tgc(), 0.0);
    assertThrows(IllegalArgumentException.class, () -> GoalCompletion.of(List.of(
        r("miniappworld/test/a/0-0", true), r("miniappworld/test/a/0-0", false))));
  }
}
