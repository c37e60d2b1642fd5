package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.StepResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Properties over many seeds of the generator, the solver and the environment together. */
class SokobanPropertyTest {

  private static final int SEEDS = 1000;
  private static final double EPS = 1e-9;

  /**
   * Hashes of the renders of seeds 0 to 9, pinned so that a change of generator, random stream or rendering
   * (or a JVM that computes them differently) fails here.
   */
  private static final Map<String, String> GOLDEN = Map.of(
      SokobanSettings.RAGEN, "427add63145e69673ed6fbe1035d4a4774fba851e5a0b2c8a63e14c56dd636f3",
      SokobanSettings.SKILL_SD, "a06ade6b9d8643dcea3bd8e411a6a044433318c320116fa3cb2ca1ad3c0e5788");

  @Test
  void everySeedGivesASolvableLevelThatTheOptimalPlanSolvesWithThePredictedReward() {
    SokobanSettings settings = SokobanSettings.ragen();
    SokobanLevels levels = new SokobanLevels(settings);
    SokobanEnvironment env = new SokobanEnvironment(settings);
    for (long seed = 0; seed < SEEDS; seed++) {
      ProvenLevel proven = levels.levelFor(seed);
      Level level = proven.level();
      assertEquals(6, level.rows());
      assertEquals(1, level.boxCount());
      assertEquals(level.render(), levels.levelFor(seed).level().render(), "seed " + seed + " is not stable");
      // Solvable within one episode of RAGEN's protocol: at most 10 actions.
      assertTrue(proven.optimalLength() >= 1 && proven.optimalLength() <= settings.maxActions());
      assertFalse(level.isTarget(level.boxes()[0]), "the box starts off its target");

      env.reset(level);
      double total = 0;
      List<Direction> plan = proven.solution().plan();
      StepResult last = null;
      for (int i = 0; i < plan.size(); i += 5) {
        last = env.step(SokobanAnswer.format(plan.subList(i, Math.min(plan.size(), i + 5))));
        assertTrue(last.actionValid());
        total += last.reward();
      }
      assertTrue(last.done() && last.success(), "seed " + seed);
      // One box, optimal plan: it reaches the target once, at the last step, and never leaves it.
      assertEquals(-0.1 * plan.size() + 1 + 10, total, EPS, "seed " + seed);
    }
  }

  @Test
  void rendersMatchTheGoldenHashes() throws Exception {
    for (Map.Entry<String, String> e : GOLDEN.entrySet()) {
      SokobanLevels levels = new SokobanLevels(SokobanSettings.preset(e.getKey()));
      StringBuilder sb = new StringBuilder();
      for (long seed = 0; seed < 10; seed++) {
        sb.append(levels.levelFor(seed).level().render()).append("\n\n");
      }
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      assertEquals(e.getValue(), HexFormat.of().formatHex(hash), e.getKey());
    }
    assertEquals("######\n#_####\n#O_P##\n#_X_##\n#___##\n######",
        new SokobanLevels(SokobanSettings.ragen()).levelFor(7).level().render());
  }

  @Test
  void skillSdLevelsAreSolvableWithinFortySteps() {
    SokobanLevels levels = new SokobanLevels(SokobanSettings.skillSd());
    for (long seed = 0; seed < 200; seed++) {
      ProvenLevel p = levels.levelFor(seed);
      assertEquals(2, p.level().boxCount());
      assertTrue(p.optimalLength() <= 40);
      Sokoban game = new Sokoban(p.level());
      for (Direction d : p.solution().plan()) {
        assertFalse(game.solved());
        game.move(d.id());
      }
      assertTrue(game.solved(), "seed " + seed);
    }
  }
}
