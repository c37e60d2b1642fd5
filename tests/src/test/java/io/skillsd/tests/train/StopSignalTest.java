package io.skillsd.tests.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.cluster.SkillsdJvm;
import io.skillsd.actors.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skillsd train} in its own JVM, sent SIGTERM (what {@code kill} and job schedulers send; Ctrl-C's
 * SIGINT takes the same path) in the middle of a run: the iteration in progress finishes, a checkpoint is
 * written, the process exits with 143 and a line saying how to continue, without a JVM crash report; then
 * {@code --resume} finishes the run, every iteration recorded once.
 */
class StopSignalTest {

  private static final int ITERATIONS = 6;
  private static final Pattern TRAIN_LINE = Pattern.compile("^\\{\"type\":\"train\",\"iteration\":(\\d+),");

  @Test
  void sigtermStopsAtTheNextIterationWithACheckpointAndTheRunResumes(@TempDir Path work) throws Exception {
    Path runs = work.resolve("runs");
    Map<String, String> o = new TreeMap<>(SkillSdEndToEndTest.smallRun(runs));
    o.put("skillsd.train.iterations", Integer.toString(ITERATIONS));
    o.put("skillsd.train.checkpoint-every", "0"); // the only checkpoint before the end is the stop's own
    o.put("skillsd.train.eval-every", "0");
    o.put("skillsd.train.record-token-logprobs", "false");
    Path run = runs.resolve("e2e");
    Path metrics = run.resolve("metrics.jsonl");
    Path log = work.resolve("train.out");

    Process p = start(work, o, log);
    try {
      // Signal once the first iteration is recorded: the run is then inside iteration 2 or later.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (trainLines(metrics).isEmpty()) {
        assertTrue(p.isAlive(), "the run ended before it was signalled:\n" + read(log));
        assertTrue(System.nanoTime() < deadline, "no iteration within 180 s:\n" + read(log));
        Thread.sleep(50);
      }
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running 120 s after SIGTERM:\n" + read(log));
    } finally {
      p.destroyForcibly();
    }
    String out = read(log);
    assertEquals(143, p.exitValue(), out);
    List<Integer> done = trainLines(metrics);
    int k = done.size();
    assertTrue(k >= 1 && k < ITERATIONS, "stopped after iteration " + k + ":\n" + out);
    assertTrue(out.contains("run stopped (SIGTERM); checkpoint of iteration " + k + " of " + ITERATIONS
        + ": continue with ./skillsd train --resume"), out);
    assertTrue(Files.isRegularFile(run.resolve(String.format("checkpoints/iter-%04d/model.safetensors", k))), out);
    assertFalse(Files.exists(run.resolve("checkpoints/final")), "not finished");
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    assertFalse(summary.path("ok").asBoolean());
    assertEquals("SIGTERM", summary.path("summary").path("stopped").asText());
    try (Stream<Path> files = Files.list(work)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
          "the JVM crashed on its way out:\n" + out);
    }

    TrainingRun.Result resumed = TrainingRun.resume(run, Map.of());
    assertTrue(resumed.ok(), resumed.message());
    List<Integer> all = trainLines(metrics);
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= ITERATIONS; i++) {
      expected.add(i);
    }
    assertEquals(expected, all, "each iteration recorded once, in order");
    for (int i = 1; i <= ITERATIONS; i++) {
      assertTrue(Files.isRegularFile(run.resolve(String.format("trajectories/iter-%04d.jsonl", i))), "iteration " + i);
    }
  }

  private static Process start(Path work, Map<String, String> overrides, Path log) throws IOException {
    List<String> args = new ArrayList<>(List.of("train"));
    overrides.forEach((key, value) -> {
      args.add("-D");
      args.add(key + "=" + value);
    });
    return SkillsdJvm.processBuilder(args).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  private static List<Integer> trainLines(Path metrics) throws IOException {
    if (!Files.isRegularFile(metrics)) {
      return List.of();
    }
    List<Integer> iterations = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      Matcher m = TRAIN_LINE.matcher(line); // the file may end in a line still being written
      if (m.find()) {
        iterations.add(Integer.parseInt(m.group(1)));
      }
    }
    return iterations;
  }

  private static String read(Path log) throws IOException {
    return Files.isRegularFile(log) ? Files.readString(log) : "";
  }
}
