package io.skillsd.actors.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.skillsd.actors.cli.CliRun;
import io.skillsd.actors.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment run again with more iterations extends its finished runs from their final checkpoints (their
 * records end as one straight run's, their final models are evaluated anew); with fewer, it refuses them.
 */
class ExperimentExtensionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private String[] command(Path out, int iterations) {
    List<String> args = new ArrayList<>(List.of("experiment", "sokoban", "--seeds", "1", "--iterations",
        Integer.toString(iterations), "--variants", "grpo", "--out", out.toString(), "--final-eval-episodes", "4"));
    args.addAll(ExperimentCommandTest.smallRun());
    return args.toArray(String[]::new);
  }

  @Test
  void moreIterationsExtendTheFinishedRunsFewerAreRefused() throws Exception {
    Path out = dir.resolve("exp");
    Path run = out.resolve("grpo-s0");
    CliRun first = CliRun.of(command(out, 1));
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(RunDirectory.finished(run));
    FileTime firstEval = Files.getLastModifiedTime(run.resolve(RunDirectory.FINAL_EVALS_DIR).resolve("test").resolve(RunDirectory.SUMMARY_FILE));

    CliRun longer = CliRun.of(command(out, 2));
    assertEquals(0, longer.code(), longer.out() + longer.err());
    assertTrue(longer.out().contains("0 finished earlier, 1 to run"), longer.out());
    assertTrue(longer.out().contains("run 1 of 1: grpo, seed 0: extending its finished run of 1 iterations to 2"), longer.out());
    assertFalse(longer.out().contains("ETA after the first"), "the shorter run's time gives the estimate: " + longer.out());
    assertFalse(longer.out().contains("(made earlier)"), "the extended run's final model is evaluated anew: " + longer.out());
    assertTrue(RunDirectory.finished(run));
    assertEquals(2, ConfigFactory.parseFile(run.resolve("config.conf").toFile()).getInt("skillsd.train.iterations"));
    assertEquals(List.of("eval before 0", "train  1", "train  2", "eval after 2"), lineKinds(run.resolve("metrics.jsonl")),
        "the evaluation after iteration 1 is gone; the records are one straight run's");
    assertEquals(2, JSON.readTree(run.resolve("checkpoints/final/state.json").toFile()).path("iteration").asInt());
    assertNotEquals(firstEval,
        Files.getLastModifiedTime(run.resolve(RunDirectory.FINAL_EVALS_DIR).resolve("test").resolve(RunDirectory.SUMMARY_FILE)));
    assertTrue(Files.readString(out.resolve("results.md")).contains("Every variant ran 2 training iterations"));

    // The same command again finds the extended run finished.
    CliRun again = CliRun.of(command(out, 2));
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().contains("1 finished earlier, 0 to run"), again.out());

    // Fewer iterations than a finished run made: refused, naming the setting.
    CliRun shorter = CliRun.of(command(out, 1));
    assertNotEquals(0, shorter.code(), shorter.out());
    assertTrue((shorter.out() + shorter.err()).contains("skillsd.train.iterations"), shorter.out() + shorter.err());
  }

  /** Each metrics line's type, label and iteration, in order. */
  private static List<String> lineKinds(Path metrics) throws Exception {
    List<String> kinds = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      JsonNode n = JSON.readTree(line);
      kinds.add(n.path("type").asText() + " " + n.path("label").asText() + " " + n.path("iteration").asInt());
    }
    return kinds;
  }
}
