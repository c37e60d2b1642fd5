package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One test per rule of {@link Sokoban}, on hand-made levels. */
class SokobanRulesTest {

  private static final double EPS = 1e-9;

  private static Level level(String... rows) {
    return Level.parse(String.join("\n", rows));
  }

  @Test
  void moveOntoFloorIsEffectiveAndCostsOneStep() {
    Sokoban game = new Sokoban(level("#####", "#P_O#", "#_X_#", "#####"));
    double r = game.step(Direction.RIGHT.id());
    assertEquals(-0.1, r, EPS);
    assertEquals("#####\n#_PO#\n#_X_#\n#####", game.render());
    assertEquals(1, game.steps());
  }

  @Test
  void walkingIntoWallChangesNothingButCountsAStep() {
    Sokoban game = new Sokoban(level("#####", "#P_O#", "#_X_#", "#####"));
    assertEquals(0, game.move(Direction.UP.id()));
    assertEquals(1, game.steps());
    assertEquals("#####\n#P_O#\n#_X_#\n#####", game.render());
  }

  @Test
  void pushIntoWallDoesNothing() {
    Sokoban game = new Sokoban(level("######", "#PX#O#", "#____#", "######"));
    String before = game.render();
    assertEquals(-0.1, game.step(Direction.RIGHT.id()), EPS);
    assertEquals(before, game.render());
    assertEquals(1, game.steps());
  }

  @Test
  void pushIntoBoxDoesNothing() {
    Sokoban game = new Sokoban(level("#######", "#PXX_O#", "#____O#", "#######"));
    String before = game.render();
    assertEquals(0, game.move(Direction.RIGHT.id()));
    assertEquals(before, game.render());
  }

  @Test
  void pushMovesBoxAndPlayer() {
    Sokoban game = new Sokoban(level("######", "#PX_O#", "######"));
    assertEquals(Sokoban.MOVED | Sokoban.PUSHED, game.move(Direction.RIGHT.id()));
    assertEquals("######\n#_PXO#\n######", game.render());
  }

  @Test
  void boxOntoTargetEarnsOneAndOffTargetCostsOne() {
    Sokoban game = new Sokoban(level("#######", "#PXO__#", "#___XO#", "#######"));
    assertEquals(-0.1 + 1.0, game.step(Direction.RIGHT.id()), EPS);
    assertEquals(1, game.boxesOnTarget());
    assertEquals("#######\n#_P\u221A__#\n#___XO#\n#######", game.render());
    assertEquals(-0.1 - 1.0, game.step(Direction.RIGHT.id()), EPS);
    assertEquals(0, game.boxesOnTarget());
    assertEquals("#######\n#__SX_#\n#___XO#\n#######", game.render());
    assertFalse(game.solved());
  }

  @Test
  void lastBoxOnTargetEarnsTheSolveBonus() {
    Sokoban game = new Sokoban(level("#####", "#PXO#", "#####"));
    assertEquals(-0.1 + 1.0 + 10.0, game.step(Direction.RIGHT.id()), EPS);
    assertTrue(game.solved());
  }

  @Test
  void pushAlongTargetsKeepsTheCount() {
    // Box on target pushed onto the next target: count unchanged, no bonus or penalty beyond the step.
    Sokoban game = new Sokoban(level("######", "#P\u221AO_#", "#__X_#", "######"));
    assertEquals(-0.1, game.step(Direction.RIGHT.id()), EPS);
    assertEquals(1, game.boxesOnTarget());
  }

  @Test
  void resetRestoresTheStart() {
    Sokoban game = new Sokoban(level("######", "#PX_O#", "######"));
    String start = game.render();
    game.move(Direction.RIGHT.id());
    game.reset();
    assertEquals(start, game.render());
    assertEquals(0, game.steps());
  }

  @Test
  void renderUsesTheLegendAndRoundTrips() {
    String text = "######\n#S_X_#\n#_\u221A__#\n######";
    Level level = Level.parse(text);
    assertEquals(text, level.render());
    assertEquals(text, new Sokoban(level).render());
    assertEquals(2, level.boxCount());
  }
}
