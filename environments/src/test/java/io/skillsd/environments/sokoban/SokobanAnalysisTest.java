package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.Split;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The analyst's reading of a trajectory: pushes, wasted moves, deadlocks and the compressed moves. */
class SokobanAnalysisTest {

  private static final Direction U = Direction.UP;
  private static final Direction D = Direction.DOWN;
  private static final Direction L = Direction.LEFT;
  private static final Direction R = Direction.RIGHT;

  // Box at (2,3), target at (2,1); the player starts at (2,5).
  private static final Level LEVEL = Level.parse("#######\n#_____#\n#O_X_P#\n#_____#\n#######");

  @Test
  void cleanSolution() {
    SokobanAnalysis a = SokobanAnalysis.of(LEVEL, List.of(L, L, L));
    assertTrue(a.solved());
    assertEquals(3, a.steps());
    assertEquals("Left\u00D71, push Left\u00D72", a.compressedMoves());
    assertEquals(2, a.pushes().size());
    assertEquals(new SokobanAnalysis.Push(2, L, "2,3", "2,2", false, false), a.pushes().get(0));
    assertEquals(new SokobanAnalysis.Push(3, L, "2,2", "2,1", true, false), a.pushes().get(1));
    assertTrue(a.wastedSteps().isEmpty());
    assertTrue(a.deadlocks().isEmpty());
    assertEquals(OptionalInt.of(3), a.optimalLength());
  }

  @Test
  void bumpsAndDetoursAreWasted() {
    // 1 Right bumps the wall; 2 Up and 3 Down come back; then 4 Left, 5 push Left.
    SokobanAnalysis a = SokobanAnalysis.of(LEVEL, List.of(R, U, D, L, L));
    assertEquals(List.of(1, 2, 3), a.wastedSteps());
    assertEquals("Right\u00D71, Up\u00D71, Down\u00D71, Left\u00D71, push Left\u00D71", a.compressedMoves());
    assertFalse(a.solved());
  }

  @Test
  void longerDetoursAreWastedToo() {
    // After 2 (push Left) the player is at (2,3) and the box at (2,2). 3 Right, 4 Right, 5 Left, 6 Left walk
    // away and back to that same state, so all four are wasted; the first two steps are not.
    SokobanAnalysis a = SokobanAnalysis.of(LEVEL, List.of(L, L, R, R, L, L));
    assertEquals(List.of(3, 4, 5, 6), a.wastedSteps());
  }

  @Test
  void deadlocksAreFoundInCornersAndAlongClosedWalls() {
    // Push the box up into the top wall at (1,3): the top row has no target, so that is a wall deadlock.
    SokobanAnalysis wall = SokobanAnalysis.of(LEVEL, List.of(D, L, L, U));
    assertEquals(List.of(new SokobanAnalysis.Deadlock(4, "1,3", "wall")), wall.deadlocks());
    assertTrue(wall.summary().contains("step 4, box at 1,3 (wall)"));
    // Then push it left along the wall into the corner (1,1).
    SokobanAnalysis corner = SokobanAnalysis.of(LEVEL, List.of(D, L, L, U, R, U, L, L));
    assertEquals("corner", corner.deadlocks().get(corner.deadlocks().size() - 1).kind());
    assertEquals("1,1", corner.deadlocks().get(corner.deadlocks().size() - 1).box());
  }

  @Test
  void wallWithATargetIsNotADeadlock() {
    Level level = Level.parse("#######\n#O____#\n#__X_P#\n#_____#\n#######");
    SokobanAnalysis a = SokobanAnalysis.of(level, List.of(D, L, L, U));
    assertTrue(a.deadlocks().isEmpty());
  }

  @Test
  void readsATrajectoryFromItsObservationsAndInfo() {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    String first = env.reset(LEVEL);
    List<Trajectory.Turn> turns = new ArrayList<>();
    for (String text : List.of("<answer>Right || Up</answer>", "garbage", "<answer>Down || Left || Left</answer>")) {
      StepResult r = env.step(text);
      turns.add(new Trajectory.Turn(text, r));
    }
    Trajectory t = new Trajectory("sokoban", new Task("sokoban/x/test/000", Split.TEST, 1, 1), env.instructions(),
        first, turns, env.metrics());
    SokobanAnalysis a = SokobanAnalysis.of(t);
    assertEquals(5, a.steps());
    assertEquals(List.of(1, 2, 3), a.wastedSteps());
    assertEquals(1, a.pushes().size());
    String summary = a.summary();
    assertTrue(summary.startsWith("Outcome: not solved, 0 of 1 boxes on targets after 5 steps (optimal 3)"), summary);
    assertTrue(summary.contains("Wasted moves: 3 (steps 1, 2, 3)"), summary);
  }

  @Test
  void rejectsOtherEnvironments() {
    Trajectory t = new Trajectory("other", new Task("x", Split.TEST, 1, 1), "", "", List.of(),
        new EpisodeMetrics(false, 0));
    assertThrows(IllegalArgumentException.class, () -> SokobanAnalysis.of(t));
  }

  @Test
  void infoListsAreAllThatIsNeeded() {
    // The executed moves, not the parsed answer, drive the analysis: a cut answer's extra words never ran.
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.fromOptions(Map.of("max-actions", "2")));
    String first = env.reset(LEVEL);
    StepResult r = env.step("<answer>Left || Left || Left</answer>");
    assertEquals(List.of("Left", "Left", "Left"), r.info().get(SokobanEnvironment.ACTIONS));
    Trajectory t = new Trajectory("sokoban", new Task("x", Split.TEST, 1, 1), "", first,
        List.of(new Trajectory.Turn("", r)), env.metrics());
    assertEquals(2, SokobanAnalysis.of(t).steps());
  }
}
