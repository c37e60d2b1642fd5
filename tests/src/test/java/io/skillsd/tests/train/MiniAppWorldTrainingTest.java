package io.skillsd.tests.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime is not Sokoban's: Skill-SD trains end to end on MiniAppWorld (tool calls as JSON, its own
 * analyst for skills, its own evaluation), with the same roles and records.
 */
class MiniAppWorldTrainingTest {

  @TempDir
  Path dir;

  @Test
  void skillSdTrainsOnMiniAppWorld() throws Exception {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.run.id", "maw");
    o.put("skillsd.environment.name", "miniappworld");
    o.put("skillsd.environment.options.miniappworld.max-turns", "4");
    o.put("skillsd.train.tasks-per-iteration", "1");
    o.put("skillsd.train.group-size", "2");
    o.put("skillsd.train.max-new-tokens", "16");
    o.put("skillsd.train.eval-episodes", "2");
    o.put("skillsd.train.record-token-logprobs", "false");
    TrainingRun.Result result = TrainingRun.run(SkillsdSettings.load(null, o));
    assertTrue(result.ok(), result.message());
    Path run = result.runDir();
    for (String f : new String[] {"metrics.jsonl", "skills/bank.json", "checkpoints/final/model.safetensors",
        "trajectories/iter-0003.jsonl", "trajectories/eval-0000.jsonl", "report.html"}) {
      assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
    }

    List<JsonNode> metrics = SkillSdEndToEndTest.lines(run.resolve("metrics.jsonl"));
    List<JsonNode> train = metrics.stream().filter(m -> m.path("type").asText().equals("train")).toList();
    assertEquals(3, train.size());
    for (JsonNode m : train) {
      assertEquals(2, m.path("episodes").asInt(), m.toString());
      assertEquals(m.path("launched").asInt(), m.path("completed").asInt() + m.path("retried").asInt()
          + m.path("failed").asInt(), "every episode accounted for: " + m);
      assertTrue(m.path("tokens").asLong() > 0, "the learner trained on sampled tokens: " + m);
    }
    // Training tasks wrap around with one task per iteration over the split; a task seen before has skills.
    JsonNode bank = new ObjectMapper().readTree(run.resolve("skills/bank.json").toFile());
    int skills = 0;
    for (JsonNode task : bank.path("tasks")) {
      skills += task.path("skills").size();
    }
    assertTrue(skills > 0, "the summarizer wrote MiniAppWorld skills: " + bank);

    for (JsonNode t : SkillSdEndToEndTest.lines(run.resolve("trajectories/iter-0001.jsonl"))) {
      assertTrue(t.path("task").asText().startsWith("miniappworld/train/"), t.path("task").asText());
      assertTrue(t.path("turns").size() >= 1 && t.path("turns").size() <= 4, t.toString());
    }
  }
}
