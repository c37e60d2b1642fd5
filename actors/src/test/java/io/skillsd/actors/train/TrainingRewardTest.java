package io.skillsd.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.actors.settings.SettingsException;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingRewardTest {

  /**
   * The box is pushed onto its target in two turns; the first answer is malformed (it names an unknown
   * action) but its valid action still runs, as in RAGEN.
   */
  private static Trajectory solvedWithOneMalformedTurn() {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    String first = env.reset(Level.parse(String.join("\n",
        "######", "#P___#", "#X___#", "#____#", "#O___#", "######")));
    List<Trajectory.Turn> turns = new ArrayList<>();
    for (String answer : new String[] {"<answer>Down || Jump</answer>", "<answer>Down</answer>"}) {
      turns.add(new Trajectory.Turn(answer, env.step(answer)));
    }
    return new Trajectory(SokobanEnvironment.NAME, new Task("sokoban/ragen/train/handmade", Split.TRAIN, 0, 1),
        env.instructions(), first, turns, env.metrics());
  }

  private static TrainSettings settings(String reward, String penalty) {
    return TrainSettings.from(SkillsdSettings.load(null,
        Map.of("skillsd.train.reward", reward, "skillsd.train.format-penalty", penalty)));
  }

  @Test
  void completionFormatChargesEachTurnWhoseAnswerWasNotValid() {
    Trajectory t = solvedWithOneMalformedTurn();
    assertFalse(t.turns().get(0).result().actionValid());
    assertTrue(t.turns().get(1).result().actionValid());
    assertTrue(t.metrics().success(), "the malformed turn's action ran, so the level is solved");

    assertEquals(1.0, settings("completion", "0.1").rewardOf(t), 1e-12);
    assertEquals(1.0, settings("success", "0.1").rewardOf(t), 1e-12);
    assertEquals(0.9, settings("completion-format", "0.1").rewardOf(t), 1e-12);
    assertEquals(0.5, settings("completion-format", "0.5").rewardOf(t), 1e-12);
    assertEquals(1.0, settings("completion-format", "0").rewardOf(t), 1e-12);
    assertEquals(t.totalReward(), settings("return", "0.1").rewardOf(t), 1e-12);
  }

  @Test
  void aNegativeFormatPenaltyIsRefused() {
    SettingsException e = assertThrows(SettingsException.class, () -> settings("completion-format", "-0.1"));
    assertTrue(e.getMessage().contains("format-penalty"), e.getMessage());
  }

  /** The learner's memory budget: a size with a unit, 0 to keep minibatches whole, anything else refused. */
  @Test
  void microbatchMemoryIsASize() {
    assertEquals(4L << 30, TrainSettings.from(SkillsdSettings.load(null, Map.of())).update().microbatchBytes());
    assertEquals(512L << 20, TrainSettings.from(SkillsdSettings.load(null,
        Map.of("skillsd.train.microbatch-memory", "512m"))).update().microbatchBytes());
    assertEquals(0, TrainSettings.from(SkillsdSettings.load(null,
        Map.of("skillsd.train.microbatch-memory", "0"))).update().microbatchBytes());
    SettingsException e = assertThrows(SettingsException.class, () -> TrainSettings.from(SkillsdSettings.load(null,
        Map.of("skillsd.train.microbatch-memory", "lots"))));
    assertEquals("skillsd.train.microbatch-memory", e.key());
    assertTrue(e.getMessage().contains("must be a size such as 512m or 4g"), e.getMessage());
  }
}
