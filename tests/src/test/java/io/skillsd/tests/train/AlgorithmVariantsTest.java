package io.skillsd.tests.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainingRun;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every algorithm variant of the paper's comparison runs end to end and uses the loss terms it should. */
class AlgorithmVariantsTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}, rollouts {1}")
  @CsvSource({"grpo, student", "opd, student", "skill-augmented-grpo, student", "skill-sd, teacher"})
  void variantRuns(String algorithm, String rollouts) throws Exception {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.run.id", algorithm + "-" + rollouts);
    o.put("skillsd.train.algorithm", algorithm);
    o.put("skillsd.train.rollouts", rollouts);
    o.put("skillsd.train.iterations", "2");
    o.put("skillsd.train.group-size", "2");
    o.put("skillsd.train.record-token-logprobs", "false");
    TrainingRun.Result result = TrainingRun.run(SkillsdSettings.load(null, o));
    assertTrue(result.ok(), result.message());

    List<JsonNode> train = SkillSdEndToEndTest.lines(result.runDir().resolve("metrics.jsonl")).stream()
        .filter(m -> m.path("type").asText().equals("train")).toList();
    assertEquals(2, train.size());
    JsonNode second = train.get(1);
    switch (algorithm) {
      case "grpo" -> {
        assertEquals(0, second.path("skills_selected").asInt(), "GRPO retrieves no skills");
        assertEquals(0, second.path("teacher_scored").asInt());
        assertEquals(0.0, second.path("sdl_loss").asDouble());
      }
      case "opd" -> {
        assertTrue(second.path("teacher_scored").asInt() > 0, "OPD distills from the teacher");
        assertEquals(0.0, second.path("grpo_loss").asDouble(), "OPD has no reward term");
      }
      case "skill-augmented-grpo" -> {
        assertEquals(2, second.path("skills_selected").asInt(), "skills go into the rollout prompt");
        assertEquals(0, second.path("teacher_scored").asInt(), "no teacher in skill-augmented GRPO");
      }
      default -> {
        assertEquals(2, second.path("skills_selected").asInt());
        assertTrue(second.path("teacher_scored").asInt() > 0);
      }
    }
  }
}
