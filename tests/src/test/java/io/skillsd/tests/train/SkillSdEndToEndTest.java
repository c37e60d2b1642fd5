package io.skillsd.tests.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Skill-SD run of the tiny model on Sokoban in one JVM: every role runs, skills are created and
 * selected, the teacher's log-probs differ from the student's where a skill is present, the weights version
 * advances, and the run directory holds every artifact.
 */
class SkillSdEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Map<String, String> smallRun(Path dir) {
    return Map.ofEntries(
        Map.entry("skillsd.run.dir", dir.toString()),
        Map.entry("skillsd.run.id", "e2e"),
        Map.entry("skillsd.run.seed", "3"),
        // a freshly initialized tiny model: fast, and every role is exercised the same
        Map.entry("skillsd.policy.model", "builtin:tiny"),
        Map.entry("skillsd.environment.options.sokoban.preset", "ragen"),
        // Two training tasks, so each comes back in later iterations and finds its skills.
        Map.entry("skillsd.environment.options.sokoban.train-size", "2"),
        Map.entry("skillsd.environment.options.sokoban.test-size", "2"),
        Map.entry("skillsd.train.iterations", "3"),
        Map.entry("skillsd.train.tasks-per-iteration", "2"),
        Map.entry("skillsd.train.group-size", "3"),
        Map.entry("skillsd.train.max-new-tokens", "10"),
        Map.entry("skillsd.train.lambda", "0.01"),
        // A random tiny model rarely solves a level: skills from every episode, so the bank fills.
        Map.entry("skillsd.train.skill-sources", "all"),
        Map.entry("skillsd.train.learning-rate", "0.001"),
        Map.entry("skillsd.train.record-token-logprobs", "true"));
  }

  static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void skillSdRunsEndToEnd(@TempDir Path dir) throws Exception {
    TrainingRun.Result result = TrainingRun.run(SkillsdSettings.load(null, smallRun(dir)));
    assertTrue(result.ok(), result.message());
    Path run = result.runDir();

    // The run directory holds every artifact.
    for (String f : new String[] {"config.conf", "metrics.jsonl", "summary.json", "logs/skillsd.jsonl",
        "skills/bank.json", "checkpoints/final/model.safetensors", "checkpoints/final/config.json",
        "trajectories/iter-0001.jsonl", "trajectories/eval-0000.jsonl", "report.html", "report/success.png",
        "report/losses.png", "report/rho.png", "report/gap.png", "report/timings.png"}) {
      assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
    }

    List<JsonNode> metrics = lines(run.resolve("metrics.jsonl"));
    List<JsonNode> train = metrics.stream().filter(m -> m.path("type").asText().equals("train")).toList();
    assertEquals(3, train.size());
    assertEquals("before", metrics.get(0).path("label").asText());
    assertEquals("after", metrics.get(metrics.size() - 1).path("label").asText());
    for (int i = 0; i < train.size(); i++) {
      JsonNode m = train.get(i);
      assertEquals(i + 1, m.path("version").asInt(), "weights version advances once per iteration");
      assertEquals(6, m.path("episodes").asInt());
      assertTrue(m.path("rollout_seconds").asDouble() > 0, "policy server and runners ran");
      assertTrue(m.path("update_seconds").asDouble() > 0, "learner ran");
      assertTrue(m.path("tokens").asLong() > 0, "learner trained on sampled tokens");
    }
    // Iteration 1 has no skills yet; later ones select the skills the summarizer wrote into the bank.
    assertEquals(0, train.get(0).path("skills_selected").asInt());
    assertEquals(2, train.get(2).path("skills_selected").asInt());
    assertTrue(train.get(2).path("teacher_scored").asInt() > 0, "teacher scored trajectories");
    assertTrue(train.get(2).path("distilled_tokens").asLong() > 0, "distillation term saw tokens");

    JsonNode bank = JSON.readTree(run.resolve("skills/bank.json").toFile());
    int skills = 0;
    long selections = 0;
    for (JsonNode task : bank.path("tasks")) {
      skills += task.path("skills").size();
      selections += task.path("selections").asLong();
    }
    assertTrue(skills > 0, "summarizer created skills");
    assertTrue(selections >= 2, "bank selected skills");

    // Where a skill was present, the teacher's log-probs differ from the student's on sampled tokens.
    double maxGap = 0;
    int scored = 0;
    for (JsonNode t : lines(run.resolve("trajectories/iter-0003.jsonl"))) {
      if (!t.has("logpTeacher")) {
        continue;
      }
      scored++;
      assertTrue(t.has("skill"), "a scored trajectory names its skill");
      JsonNode sampled = t.path("sampled");
      for (int i = 0; i < sampled.size(); i++) {
        if (sampled.get(i).asBoolean()) {
          maxGap = Math.max(maxGap, Math.abs(t.path("logpTeacher").get(i).asDouble() - t.path("logpStudent").get(i).asDouble()));
        }
      }
    }
    assertTrue(scored > 0, "trajectories of iteration 3 carry teacher log-probs");
    assertTrue(maxGap > 1e-3, "teacher and student log-probs differ under a skill, max gap " + maxGap);

    // One episode can be followed through the JSON logs by its episodeId.
    long episodeLines = Files.readAllLines(run.resolve("logs/skillsd.jsonl")).stream()
        .filter(l -> l.contains("\"episodeId\":\"it0002-t01-g02\"")).count();
    assertTrue(episodeLines >= 1, "episode it0002-t01-g02 appears in the logs");
  }
}
