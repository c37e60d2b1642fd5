package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The solver is optimal, and its deadlock pruning never removes a solution. */
class SokobanSolverTest {

  @Test
  void oneStepLevel() {
    SokobanSolver.Solution s = SokobanSolver.solve(Level.parse("#####\n#PXO#\n#####"), 100).orElseThrow();
    assertEquals(List.of(Direction.RIGHT), s.plan());
  }

  @Test
  void findsTheShortestPlan() {
    Level level = Level.parse("#######\n#OX_P_#\n#_____#\n#######");
    SokobanSolver.Solution s = SokobanSolver.solve(level, 100).orElseThrow();
    assertEquals(2, s.length());
    assertEquals("Left, Left", s.describe());
    Level around = Level.parse("#######\n#O_XP_#\n#_____#\n#######");
    assertEquals(List.of(Direction.LEFT, Direction.LEFT), SokobanSolver.solve(around, 100).orElseThrow().plan());
    Level behind = Level.parse("#######\n#OPX__#\n#_____#\n#######");
    // Down, Right, Right, Up, then Left, Left.
    assertEquals("Down, Right, Right, Up, Left, Left", SokobanSolver.solve(behind, 100).orElseThrow().describe());
  }

  @Test
  void boxInCornerIsUnsolvable() {
    assertTrue(SokobanSolver.solve(Level.parse("######\n#X__O#\n#__P_#\n######"), 100).isEmpty());
  }

  @Test
  void immovableBlockOfBoxesIsUnsolvable() {
    Level level = Level.parse("########\n#______#\n#_XX___#\n#_XX___#\n#______#\n#OOOO_P#\n########");
    assertTrue(SokobanSolver.solve(level, 100).isEmpty());
  }

  @Test
  void tooShortALengthBoundGivesNoPlan() {
    Level behind = Level.parse("#######\n#OPX__#\n#_____#\n#######");
    assertTrue(SokobanSolver.solve(behind, 5).isEmpty());
    assertTrue(SokobanSolver.solve(behind, 6).isPresent());
  }

  @Test
  void deadSquaresAreCornersAndClosedWallStretches() {
    Level level = Level.parse("######\n#___O#\n#_PX_#\n#____#\n######");
    boolean[] dead = SokobanSolver.deadSquares(level);
    boolean[] expected = new boolean[level.rows() * level.cols()];
    // The left column and the bottom row are dead: a box there stays against that wall, which has no target.
    for (int r = 1; r <= 3; r++) {
      for (int c = 1; c <= 4; c++) {
        expected[level.cell(r, c)] = c == 1 || r == 3;
      }
    }
    assertArrayEquals(expected, dead);
  }

  @Test
  void matchesPlainBreadthFirstSearchOnGeneratedLevels() {
    // The pruning must be sound: the optimal length equals that of an exhaustive search without pruning.
    SokobanLevels levels = new SokobanLevels(SokobanSettings.skillSd());
    for (long seed = 0; seed < 150; seed++) {
      Level level = levels.generateUnproven(seed).orElse(null);
      if (level == null) {
        continue;
      }
      int expected = plainBfs(level, 40);
      int actual = SokobanSolver.solve(level, 40).map(SokobanSolver.Solution::length).orElse(-1);
      long s = seed;
      assertEquals(expected, actual, () -> "seed " + s + "\n" + level.render());
    }
  }

  /** Exhaustive BFS over states as rendered strings; -1 when no plan within {@code maxLength}. */
  static int plainBfs(Level level, int maxLength) {
    Map<String, Integer> depth = new HashMap<>();
    ArrayDeque<Level> queue = new ArrayDeque<>();
    depth.put(level.render(), 0);
    queue.add(level);
    while (!queue.isEmpty()) {
      Level s = queue.poll();
      int d = depth.get(s.render());
      if (d >= maxLength) {
        continue;
      }
      for (Direction dir : Direction.values()) {
        Sokoban game = new Sokoban(s);
        game.move(dir.id());
        if (game.solved()) {
          return d + 1;
        }
        Level next = game.snapshot();
        if (depth.putIfAbsent(next.render(), d + 1) == null) {
          queue.add(next);
        }
      }
    }
    return -1;
  }

  @Test
  void boxesAreSortedInLevels() {
    Level level = Level.parse("#######\n#PX_XO#\n#____O#\n#######");
    int[] boxes = level.boxes();
    assertTrue(Arrays.equals(boxes, new int[] {level.cell(1, 2), level.cell(1, 4)}));
  }
}
