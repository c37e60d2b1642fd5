package io.skillsd.actors.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanSettings;
import io.skillsd.skills.Skill;
import io.skillsd.skills.summarizer.SummaryContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SkillsSettingsTest {

  /** A failed attempt: the box is pushed against the left wall, where no target is. */
  private static Trajectory failedAttempt() {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    String first = env.reset(Level.parse(String.join("\n",
        "######", "#P___#", "#_X__#", "#_O__#", "#____#", "######")));
    String answer = "<answer>Right || Right || Down || Left</answer>";
    Trajectory.Turn turn = new Trajectory.Turn(answer, env.step(answer));
    return new Trajectory(SokobanEnvironment.NAME, new Task("sokoban/ragen/train/handmade", Split.TRAIN, 0, 1),
        env.instructions(), first, List.of(turn), env.metrics());
  }

  private static Skill skillOfFailure(Map<String, String> overrides) throws Exception {
    SkillsSettings skills = SkillsSettings.from(SkillsdSettings.load(null, overrides));
    return skills.newSummarizer().summarize(failedAttempt(), new SummaryContext("it1/000/g0", 1, 0.0)).get()
        .orElseThrow();
  }

  @Test
  void solveFailuresIsOffByDefaultAndReachesTheRunsAnalyst() throws Exception {
    assertFalse(SkillsSettings.from(SkillsdSettings.load(null, Map.of())).solveFailures());
    assertFalse(skillOfFailure(Map.of()).goldenWorkflow().contains("<answer>"),
        "by default a failure's skill has no plan it did not play");

    Skill corrected = skillOfFailure(Map.of("skillsd.skills.analyst.solve-failures", "true"));
    assertTrue(corrected.goldenWorkflow().contains("turn 1 <answer>Right || Down</answer>"), corrected.goldenWorkflow());
    assertTrue(corrected.mistakeAnalysis().contains("pushed the box to 2,1"), "the mistake analysis stays");
    assertEquals("analyst", corrected.provenance().summarizer());
  }
}
