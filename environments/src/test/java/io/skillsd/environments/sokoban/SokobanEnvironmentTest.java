package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.StepResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The turn protocol: the action parser, penalties, budgets and the info a turn reports. */
class SokobanEnvironmentTest {

  private static final double EPS = 1e-9;
  // The player needs 4 steps right to reach the box, and 1 more push to solve.
  private static final Level CORRIDOR = Level.parse("##########\n#P____XO_#\n##########");

  private static SokobanEnvironment env(Map<String, String> options) {
    return new SokobanEnvironment(SokobanSettings.fromOptions(options));
  }

  @Test
  void observationIsTheGridAndTheActionsLeft() {
    SokobanEnvironment env = env(Map.of());
    String obs = env.reset(CORRIDOR);
    assertEquals(CORRIDOR.render() + "\nYou have 10 actions left.", obs);
    assertEquals(CORRIDOR.render(), env.render());
  }

  @Test
  void instructionsCarryTheLegendTheFormatAndTheBudget() {
    String text = env(Map.of()).instructions();
    assertTrue(text.contains(Level.LEGEND));
    assertTrue(text.contains("up to 5 actions per turn"));
    assertTrue(text.contains("<answer>Right || Right || Up</answer>"));
    assertTrue(text.contains("at most 10 actions over 5 turns"));
  }

  @Test
  void validTurnRunsItsActionsAndReportsThem() {
    SokobanEnvironment env = env(Map.of());
    env.reset(CORRIDOR);
    StepResult r = env.step("<think>go right</think>\n<answer>Right || right || RIGHT</answer>");
    assertTrue(r.actionValid());
    assertTrue(r.actionEffective());
    assertFalse(r.done());
    assertEquals(-0.3, r.reward(), EPS);
    assertEquals(List.of("Right", "Right", "Right"), r.info().get(SokobanEnvironment.MOVES));
    assertEquals(List.of(false, false, false), r.info().get(SokobanEnvironment.PUSHES));
    assertEquals(List.of("1,6"), r.info().get(SokobanEnvironment.BOXES));
    assertEquals("1,4", r.info().get(SokobanEnvironment.PLAYER));
    assertEquals(3, r.info().get(SokobanEnvironment.STEPS));
    assertEquals(7, r.info().get(SokobanEnvironment.ACTIONS_LEFT));
    assertFalse(r.info().containsKey(SokobanEnvironment.INVALID_REASON));
  }

  @Test
  void solvingEndsTheEpisodeWithTheBonus() {
    SokobanEnvironment env = env(Map.of());
    env.reset(CORRIDOR);
    env.step("<answer>Right || Right || Right || Right</answer>");
    StepResult r = env.step("<answer>Right || Left</answer>");
    assertTrue(r.done());
    assertTrue(r.success());
    assertEquals(List.of("Right"), r.info().get(SokobanEnvironment.MOVES)); // stops at the solve
    assertEquals(List.of(true), r.info().get(SokobanEnvironment.PUSHES));
    assertEquals(-0.1 + 1 + 10, r.reward(), EPS);
    assertEquals(1.0, env.metrics().completion(), EPS);
    assertTrue(env.metrics().success());
    assertThrows(IllegalStateException.class, () -> env.step("<answer>Left</answer>"));
  }

  @Test
  void emptyAnswerIsPenalizedAndRunsNothing() {
    assertMalformed("<answer>  </answer>", "empty answer", 0);
  }

  @Test
  void unknownWordIsPenalizedButTheValidActionsRun() {
    SokobanEnvironment env = env(Map.of());
    env.reset(CORRIDOR);
    StepResult r = env.step("<answer>Right || Jump</answer>");
    assertFalse(r.actionValid());
    assertEquals(-0.1 - 0.1, r.reward(), EPS);
    assertEquals(List.of("Right"), r.info().get(SokobanEnvironment.MOVES));
    assertTrue(((String) r.info().get(SokobanEnvironment.INVALID_REASON)).contains("unknown action 'Jump'"));
    assertEquals(-0.1, r.info().get(SokobanEnvironment.FORMAT_PENALTY));
  }

  @Test
  void missingTagsArePenalizedAndRunNothing() {
    assertMalformed("Right || Right", "missing <answer>", 0);
    assertMalformed("<think>Right</think>", "missing <answer>", 0);
    assertMalformed("<answer>Right", "missing <answer>", 0);
  }

  @Test
  void tooManyActionsArePenalizedAndCutToTheTurnLimit() {
    SokobanEnvironment env = env(Map.of("max-actions", "20"));
    env.reset(CORRIDOR);
    StepResult r = env.step("<answer>Right || Right || Right || Right || Right || Left</answer>");
    assertFalse(r.actionValid());
    assertEquals(5, ((List<?>) r.info().get(SokobanEnvironment.MOVES)).size());
    assertTrue(r.success()); // the fifth Right solves it
    assertEquals(-0.4 + (-0.1 + 1 + 10) - 0.1, r.reward(), EPS);
    assertTrue(((String) r.info().get(SokobanEnvironment.INVALID_REASON)).startsWith("too many actions: 6"));
  }

  @Test
  void customFormatPenaltyApplies() {
    SokobanEnvironment env = env(Map.of("format-penalty", "-0.5"));
    env.reset(CORRIDOR);
    assertEquals(-0.5, env.step("nonsense").reward(), EPS);
  }

  @Test
  void stepCapEndsTheEpisode() {
    SokobanEnvironment env = env(Map.of("max-steps", "3", "max-actions", "20"));
    env.reset(CORRIDOR);
    StepResult r = env.step("<answer>Right || Right || Right || Right || Right</answer>");
    assertTrue(r.done());
    assertFalse(r.success());
    assertEquals(Boolean.TRUE, r.info().get(SokobanEnvironment.TRUNCATED));
    assertEquals(3, r.info().get(SokobanEnvironment.STEPS));
    assertEquals(-0.3, r.reward(), EPS);
    assertEquals(0.0, env.metrics().completion(), EPS);
  }

  @Test
  void actionBudgetEndsTheEpisode() {
    SokobanEnvironment env = env(Map.of()); // ragen: 10 actions per episode
    env.reset(Level.parse("################\n#P___________XO#\n################"));
    assertFalse(env.step("<answer>Right || Right || Right || Right || Right</answer>").done());
    StepResult r = env.step("<answer>Right || Right || Right || Right || Right</answer>");
    assertTrue(r.done());
    assertEquals(0, r.info().get(SokobanEnvironment.ACTIONS_LEFT));
  }

  @Test
  void turnLimitEndsTheEpisodeEvenOnMalformedTurns() {
    SokobanEnvironment env = env(Map.of());
    env.reset(CORRIDOR);
    for (int t = 1; t < 5; t++) {
      assertFalse(env.step("???").done());
    }
    StepResult last = env.step("???");
    assertTrue(last.done());
    assertEquals(5, last.info().get(SokobanEnvironment.TURN));
  }

  @Test
  void oneActionPerTurnModeRejectsLongerAnswers() {
    SokobanEnvironment env = env(Map.of("one-action-per-turn", "true", "max-turns", "20"));
    assertEquals(1, env.settings().maxActionsPerTurn());
    assertTrue(env.instructions().contains("exactly one action"));
    env.reset(CORRIDOR);
    assertTrue(env.step("<answer>Right</answer>").actionValid());
    StepResult r = env.step("<answer>Right || Right</answer>");
    assertFalse(r.actionValid());
    assertEquals(List.of("Right"), r.info().get(SokobanEnvironment.MOVES));
  }

  @Test
  void bumpIsNotEffective() {
    SokobanEnvironment env = env(Map.of());
    env.reset(CORRIDOR);
    StepResult r = env.step("<answer>Up || Left</answer>");
    assertTrue(r.actionValid());
    assertFalse(r.actionEffective());
    assertEquals(-0.2, r.reward(), EPS);
  }

  @Test
  void formatActionWrapsPlainWordsForTheParser() {
    SokobanEnvironment env = env(Map.of());
    assertEquals("<answer>Up</answer>", env.formatAction("Up"));
    assertEquals("<answer>Up || Left</answer>", env.formatAction("Up, Left"));
    env.reset(CORRIDOR);
    assertTrue(env.step(env.formatAction("Right")).actionValid());
  }

  @Test
  void stepBeforeResetIsAnError() {
    assertThrows(IllegalStateException.class, () -> env(Map.of()).step("<answer>Up</answer>"));
  }

  private static void assertMalformed(String text, String reason, int moves) {
    SokobanEnvironment env = env(Map.of());
    env.reset(CORRIDOR);
    StepResult r = env.step(text);
    assertFalse(r.actionValid(), text);
    assertFalse(r.actionEffective());
    assertEquals(-0.1, r.reward(), EPS);
    assertEquals(moves, ((List<?>) r.info().get(SokobanEnvironment.MOVES)).size());
    assertTrue(((String) r.info().get(SokobanEnvironment.INVALID_REASON)).contains(reason),
        () -> r.info().toString());
    assertEquals(CORRIDOR.render(), env.render());
  }
}
