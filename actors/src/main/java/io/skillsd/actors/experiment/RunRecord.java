package io.skillsd.actors.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What one finished run says, read from its directory: the per-iteration training curve and the held-out
 * evaluations of {@code metrics.jsonl} ({@code "type": "train"} lines with {@code success} and
 * {@code completion}; {@code "type": "eval"} lines with {@code heldout_success} and {@code heldout_completion}),
 * and the wall time from {@code summary.json}. A line repeated for an iteration (a resumed run) counts once,
 * the later one.
 *
 * @param train one point per training iteration, in iteration order (empty for a run without training)
 * @param heldout one point per held-out evaluation iteration, in iteration order; the last is the final one
 * @param seconds the run's time as its summary records it
 * @param finalEvaluations the run's finished {@link FinalEvaluation}s by split (none unless the experiment
 *     made them)
 */
public record RunRecord(List<Point> train, List<Point> heldout, double seconds,
    Map<String, FinalEvaluation> finalEvaluations) {

  /** The per-iteration metrics of a run. */
  public static final String METRICS = "metrics.jsonl";
  /** How many of the last training iterations the train columns average. */
  public static final int LAST_ITERATIONS = 10;
  /**
   * How many of the last held-out evaluations the late held-out column averages: one evaluation of 64
   * levels moves by a level or two between neighbouring checkpoints, so a mean over the last few is the
   * steadier figure next to the final one.
   */
  public static final int LAST_EVALUATIONS = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Success and completion rates (in [0, 1]) at one iteration. */
  public record Point(int iteration, double success, double completion) {
    public Point {
      if (iteration < 0) {
        throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
      }
    }
  }

  public RunRecord {
    train = List.copyOf(train);
    heldout = List.copyOf(heldout);
    finalEvaluations = Collections.unmodifiableMap(new LinkedHashMap<>(finalEvaluations));
    if (heldout.isEmpty()) {
      throw new IllegalArgumentException("a finished run has at least one held-out evaluation");
    }
  }

  /** The record of a finished run; empty when the run has not finished (see {@link RunDirectory#finished}). */
  public static Optional<RunRecord> read(Path runDir) {
    if (!RunDirectory.finished(runDir)) {
      return Optional.empty();
    }
    TreeMap<Integer, Point> train = new TreeMap<>();
    TreeMap<Integer, Point> heldout = new TreeMap<>();
    Path metrics = runDir.resolve(METRICS);
    try {
      for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        int iteration = n.path("iteration").asInt();
        switch (n.path("type").asText()) {
          case "train" -> train.put(iteration, new Point(iteration, number(n, "success", metrics), number(n, "completion", metrics)));
          case "eval" -> heldout.put(iteration, new Point(iteration, number(n, "heldout_success", metrics),
              number(n, "heldout_completion", metrics)));
          default -> { }
        }
      }
      if (heldout.isEmpty()) {
        throw new IllegalStateException(metrics + " has no held-out evaluation although the run finished");
      }
      double seconds = JSON.readTree(runDir.resolve(RunDirectory.SUMMARY_FILE).toFile())
          .path("summary").path("seconds").asDouble(0);
      return Optional.of(new RunRecord(List.copyOf(train.values()), List.copyOf(heldout.values()), seconds,
          FinalEvaluation.readAll(runDir)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metrics, e);
    }
  }

  private static double number(JsonNode line, String key, Path file) {
    JsonNode v = line.get(key);
    if (v == null || !v.isNumber()) {
      throw new IllegalStateException(file + ": a " + line.path("type").asText() + " line has no number '" + key + "'");
    }
    return v.asDouble();
  }

  /**
   * The record of the starting model alone: the first held-out evaluation (before training), no training;
   * the final evaluations as they are (a run without training evaluates its starting model there).
   */
  public RunRecord untrained() {
    return new RunRecord(List.of(), List.of(heldout.get(0)), seconds, finalEvaluations);
  }

  /** The final evaluation on {@code split}, if the run has one. */
  public Optional<FinalEvaluation> finalEvaluation(String split) {
    return Optional.ofNullable(finalEvaluations.get(split));
  }

  /** The final held-out evaluation. */
  public Point finalHeldout() {
    return heldout.get(heldout.size() - 1);
  }

  /**
   * Mean held-out success over the last {@link #LAST_EVALUATIONS} evaluations made after training began
   * (the evaluation before training counts only for a run without training).
   */
  public double lateHeldoutSuccess() {
    List<Point> trained = heldout.stream().filter(p -> p.iteration() > 0).toList();
    List<Point> points = trained.isEmpty() ? heldout : trained;
    return points.subList(Math.max(0, points.size() - LAST_EVALUATIONS), points.size()).stream()
        .mapToDouble(Point::success).average().orElseThrow();
  }

  /** Mean training success over the last {@link #LAST_ITERATIONS} iterations; empty without training. */
  public OptionalDouble trainSuccess() {
    return lastMean(true);
  }

  /** Mean training completion over the last {@link #LAST_ITERATIONS} iterations; empty without training. */
  public OptionalDouble trainCompletion() {
    return lastMean(false);
  }

  private OptionalDouble lastMean(boolean success) {
    return train.subList(Math.max(0, train.size() - LAST_ITERATIONS), train.size()).stream()
        .mapToDouble(p -> success ? p.success() : p.completion()).average();
  }
}
