package io.skillsd.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skillsd eval}: a checkpoint played on a split through the actor runtime, recorded as a run of zero
 * iterations; a checkpoint inside a run takes that run's settings.
 */
class EvalCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void evaluatesTheTrainingSplitAndRecordsEveryEpisodeWithoutACheckpoint() throws IOException {
    Path evals = dir.resolve("evals");
    CliRun run = CliRun.of("eval", "--checkpoint", baseAgent().toString(), "--split", "train", "--episodes", "3",
        "-D", "skillsd.run.dir=" + evals, "-D", "skillsd.environment.options.sokoban.preset=ragen");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("train split: success "), run.out());
    assertTrue(run.out().contains("over 3 episodes (greedy, skills off)"), run.out());
    assertTrue(run.out().contains("evaluation finished"), run.out());

    Path runDir = onlyRun(evals);
    assertTrue(runDir.getFileName().toString().endsWith("-sokoban-eval"), runDir.toString());
    assertFalse(Files.exists(runDir.resolve("checkpoints")), "an evaluation saves no weights");
    String report = Files.readString(runDir.resolve("report.html"));
    assertTrue(report.contains("<th>split</th><td>train</td>") && !report.contains("<img"),
        "the report shows the evaluation, no empty per-iteration charts: " + report);
    JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
    assertTrue(summary.path("ok").asBoolean(), summary.toString());
    assertEquals("train", summary.path("summary").path("last_eval").path("split").asText(), summary.toString());

    List<JsonNode> evalLines = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.path("type").asText().equals("eval")) {
        evalLines.add(n);
      }
    }
    assertEquals(1, evalLines.size(), "one evaluation line");
    assertEquals("train", evalLines.get(0).path("split").asText());
    assertEquals(3, evalLines.get(0).path("heldout_episodes").asInt());

    List<String> episodes = Files.readAllLines(runDir.resolve("trajectories/eval-0000.jsonl"));
    assertEquals(3, episodes.size());
    java.util.Set<String> firstAnswers = new java.util.HashSet<>();
    for (String e : episodes) {
      String task = JSON.readTree(e).path("task").asText();
      assertTrue(task.contains("/train/"), "a training task: " + task);
      firstAnswers.add(JSON.readTree(e).path("turns").get(0).path("action").asText());
    }
    assertEquals(firstAnswers.size(), evalLines.get(0).path("heldout_distinct_first_answers").asInt());
    assertTrue(run.out().contains("; " + firstAnswers.size() + " different first answers"), run.out());
    assertTrue(report.contains("<th>different first answers</th><td>" + firstAnswers.size() + "</td>"), report);
  }

  @Test
  void aCheckpointInsideARunIsEvaluatedWithThatRunsSettings() throws IOException {
    // A run directory whose config allows one turn per episode and names its own id and parent folder.
    Path runDir = dir.resolve("some-run");
    Path checkpoint = runDir.resolve("checkpoints/final");
    copyBaseAgent(checkpoint);
    Files.writeString(runDir.resolve("config.conf"), String.join("\n",
        "skillsd.run.dir = \"" + dir.resolve("elsewhere") + "\"",
        "skillsd.run.id = some-run",
        "skillsd.train.max-turns = 1",
        "skillsd.environment.options.sokoban.preset = ragen", ""));

    Path evals = dir.resolve("evals");
    CliRun run = CliRun.of("eval", "--checkpoint", checkpoint.toString(), "--episodes", "4",
        "-D", "skillsd.run.dir=" + evals);
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("the settings of the run it belongs to"), run.out());
    assertTrue(run.out().contains("test split: success "), run.out());
    assertFalse(Files.exists(dir.resolve("elsewhere")), "the run's own folder is not reused");

    Path evalRun = onlyRun(evals);
    List<String> episodes = Files.readAllLines(evalRun.resolve("trajectories/eval-0000.jsonl"));
    assertEquals(4, episodes.size());
    for (String e : episodes) {
      JsonNode ep = JSON.readTree(e);
      assertTrue(ep.path("task").asText().contains("/test/"), ep.path("task").asText());
      assertEquals(1, ep.path("turns").size(), "the run's max-turns = 1 holds: " + e);
    }
  }

  @Test
  void anEpisodeWhoseDialogueFillsTheModelsContextEndsThereAndIsCounted() throws IOException {
    // The base agent with a context of 200 tokens: a first turn fits, a dialogue of two turns does not.
    Path shortContext = dir.resolve("short-context");
    copyBaseAgent(shortContext);
    Path config = shortContext.resolve("config.json");
    String json = Files.readString(config);
    assertTrue(json.contains("\"max_position_embeddings\" : 4096"), json);
    Files.writeString(config, json.replace("\"max_position_embeddings\" : 4096", "\"max_position_embeddings\" : 200"));

    Path evals = dir.resolve("evals");
    CliRun run = CliRun.of("eval", "--checkpoint", shortContext.toString(), "--episodes", "8",
        "-D", "skillsd.run.dir=" + evals, "-D", "skillsd.environment.options.sokoban.preset=ragen");
    assertEquals(0, run.code(), "the run goes on: " + run.out() + run.err());
    Path runDir = onlyRun(evals);
    int cut = 0;
    List<String> episodes = Files.readAllLines(runDir.resolve("trajectories/eval-0000.jsonl"));
    assertEquals(8, episodes.size(), "every episode is reported");
    for (String e : episodes) {
      JsonNode ep = JSON.readTree(e);
      if (ep.path("contextFull").asBoolean(false)) {
        cut++;
        assertTrue(ep.path("turns").size() >= 1, "it ends with the turns it played: " + e);
        assertFalse(ep.path("success").asBoolean(), e);
      }
    }
    assertTrue(cut > 0, "some dialogue outgrows 200 tokens");
    JsonNode line = JSON.readTree(Files.readAllLines(runDir.resolve("metrics.jsonl")).get(0));
    assertEquals(cut, line.path("context_full").asInt(), line.toString());
  }

  @Test
  void aSplitLargerThanEvalConcurrencyIsPlayedInWavesWithTheSameResults() throws IOException {
    Path all = dir.resolve("all-at-once");
    CliRun once = CliRun.of("eval", "--checkpoint", baseAgent().toString(), "--episodes", "7",
        "-D", "skillsd.run.dir=" + all, "-D", "skillsd.environment.options.sokoban.preset=ragen");
    assertEquals(0, once.code(), once.out() + once.err());

    Path waves = dir.resolve("waves");
    CliRun inWaves = CliRun.of("eval", "--checkpoint", baseAgent().toString(), "--episodes", "7",
        "-D", "skillsd.run.dir=" + waves, "-D", "skillsd.environment.options.sokoban.preset=ragen",
        "-D", "skillsd.train.eval-concurrency=3");
    assertEquals(0, inWaves.code(), inWaves.out() + inWaves.err());
    assertEquals(List.of(), waveProgress(onlyRun(all)), "one wave");
    assertEquals(List.of("test 3 of 7", "test 6 of 7"), waveProgress(onlyRun(waves)), "progress after each wave");

    java.util.Map<String, String> playedOnce = answersByTask(onlyRun(all));
    java.util.Map<String, String> playedInWaves = answersByTask(onlyRun(waves));
    assertEquals(7, playedOnce.size());
    assertEquals(playedOnce, playedInWaves, "every task is played as it is when all play at once");
  }

  /** The progress lines between an evaluation's waves in the run's JSON log: split, played, of how many. */
  private static List<String> waveProgress(Path runDir) throws IOException {
    List<String> progress = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve("logs/skillsd.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.path("message").asText().contains("episodes played")) {
        JsonNode a = n.path("arguments");
        progress.add(a.get(0).asText() + " " + a.get(1).asText() + " of " + a.get(2).asText());
      }
    }
    return progress;
  }

  /** Each episode's task and what happened in it: its answers, turn by turn, and whether it was solved. */
  private static java.util.Map<String, String> answersByTask(Path runDir) throws IOException {
    java.util.Map<String, String> byTask = new java.util.TreeMap<>();
    for (String e : Files.readAllLines(runDir.resolve("trajectories/eval-0000.jsonl"))) {
      JsonNode ep = JSON.readTree(e);
      StringBuilder played = new StringBuilder(ep.path("success").asText());
      for (JsonNode turn : ep.path("turns")) {
        played.append(" | ").append(turn.path("action").asText());
      }
      byTask.put(ep.path("task").asText(), played.toString());
    }
    return byTask;
  }

  @Test
  void badArgumentsAreUsageErrors() {
    CliRun split = CliRun.of("eval", "--checkpoint", baseAgent().toString(), "--split", "valid");
    assertEquals(2, split.code());
    assertTrue(split.err().contains("--split must be test or train"), split.err());

    CliRun missing = CliRun.of("eval", "--checkpoint", dir.resolve("nope").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no such checkpoint directory"), missing.err());

    CliRun model = CliRun.of("eval", "--checkpoint", "builtin:tiny", "-D", "skillsd.policy.model=builtin:base");
    assertEquals(2, model.code());
    assertTrue(model.err().contains("is --checkpoint"), model.err());
  }

  private static void copyBaseAgent(Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(baseAgent())) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static Path onlyRun(Path parent) throws IOException {
    try (Stream<Path> runs = Files.list(parent)) {
      List<Path> all = runs.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), "one run directory in " + parent + ": " + all);
      return all.get(0);
    }
  }

  /** The shipped base agent, where the launcher's {@code skillsd.home} (set for tests too) puts it. */
  private static Path baseAgent() {
    return io.skillsd.actors.policy.TrainingModels.checkpointPath("models/base-agent");
  }
}
