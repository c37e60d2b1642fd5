package io.skillsd.actors.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.skillsd.actors.cli.CliRun;
import io.skillsd.actors.run.RunDirectory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skillsd experiment} end to end: two variants × two seeds × two iterations of real training runs on
 * the shipped base agent (so rates are not all zero); then the same command again, which must start nothing;
 * then again after one run was cut short after its first checkpoint, which must continue that one from there;
 * then after one lost every checkpoint, which must run that one over.
 */
class ExperimentCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VARIANTS = List.of("grpo", "skill-sd");

  @TempDir
  Path dir;

  private String[] command(Path out) {
    List<String> args = new ArrayList<>(List.of("experiment", "sokoban", "--seeds", "2", "--iterations", "2",
        "--variants", String.join(",", VARIANTS), "--out", out.toString(), "--final-eval-episodes", "6"));
    args.addAll(smallRun());
    return args.toArray(String[]::new);
  }

  /** The -D arguments of runs small enough for a test: the shipped base agent, 2 tasks × 2 episodes per iteration. */
  static List<String> smallRun() {
    List<String> args = new ArrayList<>();
    for (String o : new String[] {
        "skillsd.policy.model=" + baseAgent(),
        "skillsd.environment.options.sokoban.preset=ragen",
        "skillsd.train.tasks-per-iteration=2",
        "skillsd.train.group-size=2",
        "skillsd.train.eval-episodes=4",
        "skillsd.train.checkpoint-every=1"}) {
      args.add("-D");
      args.add(o);
    }
    return args;
  }

  /** The shipped base agent, found from the module directory the tests run in. */
  private static Path baseAgent() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path agent = p.resolve("models/base-agent");
      if (Files.isRegularFile(agent.resolve("config.json"))) {
        return agent;
      }
    }
    throw new IllegalStateException("models/base-agent not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void runsEveryVariantAndSeedWritesTheTableAndContinuesWithoutRerunning() throws Exception {
    Path out = dir.resolve("exp");
    CliRun first = CliRun.of(command(out));
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("0 finished earlier, 4 to run"), first.out());

    // Every run has its own finished run directory.
    Map<String, FileTime> summaries = new HashMap<>();
    for (String v : VARIANTS) {
      for (int seed = 0; seed < 2; seed++) {
        Path run = out.resolve(v + "-s" + seed);
        assertTrue(RunDirectory.finished(run), "finished run in " + run);
        assertEquals(seed, ConfigFactory.parseFile(run.resolve("config.conf").toFile()).getInt("skillsd.run.seed"), "seed of " + run);
        summaries.put(run.toString(), Files.getLastModifiedTime(run.resolve(RunDirectory.SUMMARY_FILE)));
      }
    }

    // The table's cells are the mean ± sample std over seeds of what the runs' metrics say.
    Map<String, List<String>> table = tableRows(Files.readString(out.resolve("results.md")));
    assertEquals(VARIANTS, List.copyOf(table.keySet()));
    JsonNode json = JSON.readTree(out.resolve("results.json").toFile());
    for (int i = 0; i < VARIANTS.size(); i++) {
      String v = VARIANTS.get(i);
      // held-out success, held-out completion, late held-out success, train success, train completion
      List<double[]> perSeed = new ArrayList<>();
      for (int seed = 0; seed < 2; seed++) {
        perSeed.add(fromMetrics(out.resolve(v + "-s" + seed).resolve("metrics.jsonl")));
      }
      List<String> cells = table.get(v);
      assertEquals("2", cells.get(0), "seeds of " + v);
      String[] keys = {"heldout_success", "heldout_completion", "heldout_success_late", "train_success", "train_completion"};
      for (int k = 0; k < keys.length; k++) {
        double a = perSeed.get(0)[k];
        double b = perSeed.get(1)[k];
        double mean = (a + b) / 2;
        double std = Math.abs(a - b) / Math.sqrt(2); // sample std of two values
        assertEquals(String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std), cells.get(k + 1), v + " " + keys[k]);
        JsonNode stat = json.path("variants").get(i).path(keys[k]);
        assertEquals(mean, stat.path("mean").asDouble(), 1e-12, v + " " + keys[k]);
        assertEquals(std, stat.path("std").asDouble(), 1e-12, v + " " + keys[k]);
      }
    }
    // After each run its final model played the first 6 tasks of each split; the last two columns are those.
    for (int i = 0; i < VARIANTS.size(); i++) {
      String v = VARIANTS.get(i);
      List<String> cells = table.get(v);
      assertEquals(9, cells.size(), "seeds, five statistics, two final evaluations and the held-out answers: " + cells);
      for (int k = 0; k < 2; k++) {
        String split = FinalEvaluation.SPLITS.get(k);
        double[] perSeed = new double[2];
        for (int seed = 0; seed < 2; seed++) {
          Path run = out.resolve(v + "-s" + seed);
          Path eval = run.resolve(RunDirectory.FINAL_EVALS_DIR).resolve(split);
          assertTrue(RunDirectory.finished(eval), "finished final evaluation in " + eval);
          var config = ConfigFactory.parseFile(eval.resolve("config.conf").toFile());
          assertEquals(run.resolve("checkpoints/final").toAbsolutePath().toString(),
              config.getString("skillsd.policy.model"), "the run's final checkpoint is evaluated");
          assertEquals(split, config.getString("skillsd.train.eval-split"));
          JsonNode line = evalLine(eval.resolve("metrics.jsonl"));
          assertEquals(6, line.path("heldout_episodes").asInt(), "tasks of " + eval);
          perSeed[seed] = line.path("heldout_success").asDouble();
        }
        double mean = (perSeed[0] + perSeed[1]) / 2;
        double std = Math.abs(perSeed[0] - perSeed[1]) / Math.sqrt(2);
        assertEquals(String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std), cells.get(6 + k), v + " final " + split);
        assertEquals(mean, json.path("variants").get(i).path("final_" + split + "_success").path("mean").asDouble(), 1e-12);
      }
      // How many different first answers each run's final held-out episodes opened with, from its episodes.
      double[] answers = new double[2];
      for (int seed = 0; seed < 2; seed++) {
        Path eval = out.resolve(v + "-s" + seed).resolve(RunDirectory.FINAL_EVALS_DIR).resolve("test");
        java.util.Set<String> opened = new java.util.HashSet<>();
        for (String episode : Files.readAllLines(eval.resolve("trajectories/eval-0000.jsonl"))) {
          opened.add(JSON.readTree(episode).path("turns").get(0).path("action").asText());
        }
        answers[seed] = opened.size();
        assertEquals(opened.size(), evalLine(eval.resolve("metrics.jsonl")).path("heldout_distinct_first_answers").asInt());
      }
      assertEquals(String.format(Locale.ROOT, "%.1f ± %.1f", (answers[0] + answers[1]) / 2,
          Math.abs(answers[0] - answers[1]) / Math.sqrt(2)), cells.get(8), v + " different first answers");
    }
    assertTrue(Files.readString(out.resolve("results.md")).contains("final, 6 held-out tasks: success (%)"));
    assertTrue(first.out().contains("grpo, seed 0: final model on test split"), first.out());

    assertTrue(Files.readString(out.resolve("results.md")).contains("./skillsd experiment sokoban --seeds 2"),
        "the table records the command");

    for (String chart : new String[] {"curves.png", "heldout.png"}) {
      BufferedImage image = ImageIO.read(out.resolve(chart).toFile());
      assertNotNull(image, chart + " is a readable image");
      assertTrue(image.getWidth() > 100 && image.getHeight() > 100, chart);
    }

    // The same command again finds every run finished and starts none.
    CliRun second = CliRun.of(command(out));
    assertEquals(0, second.code(), second.out() + second.err());
    assertTrue(second.out().contains("4 finished earlier, 0 to run"), second.out());
    assertTrue(second.out().contains("of 6 tasks (made earlier)"), "final evaluations are not made twice: " + second.out());
    assertFalse(second.out().contains("starting"), second.out());
    for (Map.Entry<String, FileTime> e : summaries.entrySet()) {
      assertEquals(e.getValue(), Files.getLastModifiedTime(Path.of(e.getKey()).resolve(RunDirectory.SUMMARY_FILE)), e.getKey());
    }
    try (Stream<Path> entries = Files.list(out)) {
      assertEquals(4, entries.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals(RunClaim.DIR))
          .count(), "no new run directory");
    }
    try (Stream<Path> claims = Files.list(out.resolve(RunClaim.DIR))) {
      assertEquals(0, claims.count(), "every claim was given back");
    }

    // A run cut short after its checkpoint of iteration 1 (killed while writing its final checkpoint: no
    // summary, no final checkpoint, iteration 2 already recorded) continues from that checkpoint; its
    // records end as one straight run's. The others stay skipped.
    Path cut = out.resolve("grpo-s1");
    String straight = Files.readString(cut.resolve("metrics.jsonl"));
    Files.delete(cut.resolve(RunDirectory.SUMMARY_FILE));
    RunDirectory.deleteTree(cut.resolve("checkpoints/final"), "the final checkpoint");
    List<String> cutMetrics = Files.readAllLines(cut.resolve("metrics.jsonl"));
    Files.write(cut.resolve("metrics.jsonl"), cutMetrics.subList(0, cutMetrics.size() - 1)); // no "after" line
    Files.writeString(cut.resolve("left-over"), "from the interrupted attempt");
    CliRun third = CliRun.of(command(out));
    assertEquals(0, third.code(), third.out() + third.err());
    assertTrue(third.out().contains("3 finished earlier, 1 to run"), third.out());
    assertTrue(third.out().contains("run 3 of 4: grpo, seed 1: continuing from its checkpoint of iteration 1"), third.out());
    assertTrue(RunDirectory.finished(cut));
    assertTrue(Files.exists(cut.resolve("left-over")), "the run continued in its own directory");
    assertEquals(lineKinds(straight), lineKinds(Files.readString(cut.resolve("metrics.jsonl"))),
        "one line per iteration and evaluation, as in the straight run");
    String continued = third.out().lines().filter(l -> l.startsWith("run 3 of 4") && l.contains("final model on"))
        .findFirst().orElseThrow(() -> new AssertionError("no final evaluation of the continued run: " + third.out()));
    assertFalse(continued.contains("(made earlier)"), "the continued run's final model is evaluated anew: " + continued);
    assertTrue(RunDirectory.finished(cut.resolve(RunDirectory.FINAL_EVALS_DIR).resolve("test")));

    // A run with no checkpoint left starts over in a fresh directory.
    Files.delete(cut.resolve(RunDirectory.SUMMARY_FILE));
    RunDirectory.deleteTree(cut.resolve("checkpoints"), "the checkpoints");
    CliRun fourth = CliRun.of(command(out));
    assertEquals(0, fourth.code(), fourth.out() + fourth.err());
    assertTrue(fourth.out().contains("run 3 of 4: grpo, seed 1: starting"), fourth.out());
    assertTrue(RunDirectory.finished(cut));
    assertFalse(Files.exists(cut.resolve("left-over")), "the unfinished run's directory was replaced");

    // Settings for the final evaluations only (other held-out levels here) make them again and keep the runs.
    Map<String, FileTime> runs = new HashMap<>();
    for (String v : VARIANTS) {
      for (int seed = 0; seed < 2; seed++) {
        Path run = out.resolve(v + "-s" + seed);
        runs.put(run.toString(), Files.getLastModifiedTime(run.resolve(RunDirectory.SUMMARY_FILE)));
      }
    }
    List<String> reevaluate = new ArrayList<>(List.of(command(out)));
    reevaluate.addAll(List.of("--final-eval-set", "skillsd.environment.options.sokoban.test-seed=777000"));
    CliRun fifth = CliRun.of(reevaluate.toArray(String[]::new));
    assertEquals(0, fifth.code(), fifth.out() + fifth.err());
    assertTrue(fifth.out().contains("4 finished earlier, 0 to run"), fifth.out());
    assertFalse(fifth.out().contains("(made earlier)"), "every final evaluation is made anew: " + fifth.out());
    for (Map.Entry<String, FileTime> e : runs.entrySet()) {
      Path run = Path.of(e.getKey());
      assertEquals(e.getValue(), Files.getLastModifiedTime(run.resolve(RunDirectory.SUMMARY_FILE)), "the run is kept: " + run);
      for (String split : FinalEvaluation.SPLITS) {
        var config = ConfigFactory.parseFile(run.resolve(RunDirectory.FINAL_EVALS_DIR).resolve(split).resolve("config.conf").toFile());
        assertEquals(777000, config.getLong("skillsd.environment.options.sokoban.test-seed"), run + " " + split);
        assertEquals(6, config.getInt("skillsd.train.eval-episodes"));
      }
      var own = ConfigFactory.parseFile(run.resolve("config.conf").toFile());
      String key = "skillsd.environment.options.sokoban.test-seed";
      assertFalse(own.hasPath(key) && own.getLong(key) == 777000, "not in the run's own settings: " + run);
    }
    assertTrue(Files.readString(out.resolve("results.md"))
        .contains("Settings of the final evaluations only: `skillsd.environment.options.sokoban.test-seed = 777000`."));
    CliRun sixth = CliRun.of(reevaluate.toArray(String[]::new));
    assertEquals(0, sixth.code(), sixth.out() + sixth.err());
    assertEquals(4, sixth.out().lines().filter(l -> l.contains("final model on") && l.contains("(made earlier)")).count(),
        "made with the same settings, they are kept: " + sixth.out());
  }

  /** The last evaluation line of a metrics file. */
  private static JsonNode evalLine(Path metrics) throws IOException {
    JsonNode last = null;
    for (String line : Files.readAllLines(metrics)) {
      JsonNode n = JSON.readTree(line);
      if (n.path("type").asText().equals("eval")) {
        last = n;
      }
    }
    assertNotNull(last, "an evaluation in " + metrics);
    return last;
  }

  /** Each metrics line's type, label and iteration, in order. */
  private static List<String> lineKinds(String metrics) throws IOException {
    List<String> kinds = new ArrayList<>();
    for (String line : metrics.split("\n")) {
      JsonNode n = JSON.readTree(line);
      kinds.add(n.path("type").asText() + " " + n.path("label").asText() + " " + n.path("iteration").asInt());
    }
    return kinds;
  }

  /**
   * Held-out success and completion of the last evaluation, mean held-out success of the last 5 evaluations
   * after training began, train success and completion of the last 10 iterations.
   */
  private static double[] fromMetrics(Path metrics) throws IOException {
    List<JsonNode> train = new ArrayList<>();
    List<JsonNode> trainedEvals = new ArrayList<>();
    JsonNode lastEval = null;
    for (String line : Files.readAllLines(metrics)) {
      JsonNode n = JSON.readTree(line);
      if (n.path("type").asText().equals("train")) {
        train.add(n);
      } else if (n.path("type").asText().equals("eval")) {
        lastEval = n;
        if (n.path("iteration").asInt() > 0) {
          trainedEvals.add(n);
        }
      }
    }
    assertNotNull(lastEval, "an evaluation in " + metrics);
    assertEquals(2, train.size(), "two iterations in " + metrics);
    List<JsonNode> last = train.subList(Math.max(0, train.size() - 10), train.size());
    List<JsonNode> late = trainedEvals.subList(Math.max(0, trainedEvals.size() - 5), trainedEvals.size());
    return new double[] {lastEval.path("heldout_success").asDouble(), lastEval.path("heldout_completion").asDouble(),
        late.stream().mapToDouble(n -> n.path("heldout_success").asDouble()).average().orElseThrow(),
        last.stream().mapToDouble(n -> n.path("success").asDouble()).average().orElseThrow(),
        last.stream().mapToDouble(n -> n.path("completion").asDouble()).average().orElseThrow()};
  }

  /** The markdown table's rows: variant → the other cells. */
  static Map<String, List<String>> tableRows(String markdown) {
    Map<String, List<String>> rows = new java.util.LinkedHashMap<>();
    for (String line : markdown.lines().toList()) {
      if (!line.startsWith("| ") || line.startsWith("| variant") || line.startsWith("|---")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String c : line.substring(1, line.length() - 1).split("\\|")) {
        cells.add(c.trim());
      }
      rows.put(cells.get(0), cells.subList(1, cells.size()));
    }
    return rows;
  }
}
