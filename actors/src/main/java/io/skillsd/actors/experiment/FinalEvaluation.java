package io.skillsd.actors.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigUtil;
import io.skillsd.actors.run.RunDirectory;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.EvalCommand;
import io.skillsd.actors.train.TrainSettings;
import io.skillsd.actors.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One evaluation of a finished run's final model on a whole split (greedy as the run's own evaluations, skills
 * off), made after the run and kept in its directory as a run of zero iterations:
 * {@code <run>/final-evals/<split>/}. A training run evaluates on its configured number of held-out tasks
 * (64 by default), where one level more or less moves success by 1.6 points; the experiment adds these
 * larger evaluations — every held-out task, and the training tasks, which show what the run memorized — so
 * differences between variants can be told from evaluation noise.
 *
 * @param split {@code test} or {@code train}
 * @param episodes how many tasks were played, one episode each
 * @param success the share of them solved
 * @param completion the mean completion
 * @param distinctFirstAnswers how many different answers its episodes opened with (a policy that plays one
 *     fixed plan whatever the task has one or a few)
 */
public record FinalEvaluation(String split, int episodes, double success, double completion,
    int distinctFirstAnswers) {

  /** The splits the experiment evaluates ({@link TrainSettings.EvalSplit#id}), in the table's order. */
  public static final List<String> SPLITS = Arrays.stream(TrainSettings.EvalSplit.values())
      .map(TrainSettings.EvalSplit::id).toList();

  /** Keys the final evaluation sets itself, with the option that chooses them instead. */
  static final Map<String, String> CONTROLLED = Map.of(
      EvalCommand.MODEL, "nothing: the run's final model is evaluated",
      "skillsd.train.iterations", "nothing: an evaluation trains for 0 iterations",
      "skillsd.train.eval-split", "nothing: both splits are evaluated",
      "skillsd.train.eval-episodes", "--final-eval-episodes");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The finished final evaluation of {@code runDir} on {@code split}, if it has one: the {@code last_eval} its
   * summary records.
   */
  public static Optional<FinalEvaluation> read(Path runDir, String split) {
    Path dir = runDir.resolve(RunDirectory.FINAL_EVALS_DIR).resolve(split);
    if (!RunDirectory.finished(dir)) {
      return Optional.empty();
    }
    Path summary = dir.resolve(RunDirectory.SUMMARY_FILE);
    try {
      JsonNode last = JSON.readTree(summary.toFile()).path("summary").path("last_eval");
      if (!last.path("success").isNumber()) {
        return Optional.empty();
      }
      int distinct = last.has("distinct_first_answers") ? last.path("distinct_first_answers").asInt()
          : countFirstAnswers(dir.resolve("trajectories"));
      return Optional.of(new FinalEvaluation(split, last.path("episodes").asInt(), last.path("success").asDouble(),
          last.path("completion").asDouble(), distinct));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + summary, e);
    }
  }

  /**
   * Different first answers in the episodes an evaluation recorded before its summary counted them
   * ({@code trajectories/eval-*.jsonl}, one episode per line).
   */
  private static int countFirstAnswers(Path trajectories) throws IOException {
    Set<String> first = new HashSet<>();
    try (Stream<Path> files = Files.list(trajectories)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("eval-")).toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode turns = JSON.readTree(line).path("turns");
          if (turns.size() > 0) {
            first.add(turns.get(0).path("action").asText());
          }
        }
      }
    }
    return first.size();
  }

  /** Every finished final evaluation of {@code runDir}, by split, in {@link #SPLITS} order. */
  public static Map<String, FinalEvaluation> readAll(Path runDir) {
    Map<String, FinalEvaluation> all = new LinkedHashMap<>();
    for (String split : SPLITS) {
      read(runDir, split).ifPresent(e -> all.put(split, e));
    }
    return all;
  }

  /**
   * Evaluates the final model of the finished run in {@code runDir} on {@code split}: its
   * {@code checkpoints/final} (a run without training has none: its starting model), with the run's own
   * settings, on the split's first {@code episodes} tasks (0 = all). An evaluation already finished there is
   * returned as it is; one left unfinished is removed and made again.
   *
   * @throws IllegalStateException when the evaluation does not finish
   * @throws Stopped when it was stopped on request
   */
  public static FinalEvaluation run(Path runDir, String split, int episodes) {
    return run(runDir, split, episodes, Map.of());
  }

  /**
   * As {@link #run(Path, String, int)}, with {@code extra} settings over the run's own (see
   * {@link ExperimentPlan#finalEvalSettings}). An evaluation already finished with other settings (other
   * episodes, other extra settings) is removed and made again.
   */
  public static FinalEvaluation run(Path runDir, String split, int episodes, Map<String, String> extra) {
    if (!SPLITS.contains(split)) {
      throw new IllegalArgumentException("split must be one of " + SPLITS + ", was " + split);
    }
    Optional<FinalEvaluation> done = read(runDir, split);
    if (done.isPresent() && current(runDir, split, episodes, extra)) {
      return done.get();
    }
    Path parent = runDir.resolve(RunDirectory.FINAL_EVALS_DIR);
    RunDirectory.deleteTree(parent.resolve(split), done.isPresent() ? "the evaluation made with other settings"
        : "the unfinished evaluation");
    SkillsdSettings settings = settings(runDir, split, episodes, extra);
    TrainingRun.Result result = TrainingRun.run(settings);
    if (result.stoppedBy().isPresent()) {
      throw new Stopped(result.stoppedBy().get());
    }
    if (!result.ok()) {
      throw new IllegalStateException("the final evaluation of " + runDir + " on the " + split + " split did not finish: "
          + result.message());
    }
    return read(runDir, split).orElseThrow(() -> new IllegalStateException(
        result.runDir() + " finished without an evaluation line in its metrics"));
  }

  /**
   * Whether the finished evaluation of {@code runDir} on {@code split} was made with the settings
   * {@link #run(Path, String, int, Map)} would give it now. The model's path is left out of the comparison
   * (it is always the run's final model, wherever the experiment directory has moved since).
   */
  public static boolean current(Path runDir, String split, int episodes, Map<String, String> extra) {
    Path stored = runDir.resolve(RunDirectory.FINAL_EVALS_DIR).resolve(split).resolve(RunDirectory.CONFIG_FILE);
    return ExperimentRunner.differingKeys(stored, settings(runDir, split, episodes, extra)).stream()
        .allMatch(EvalCommand.MODEL::equals);
  }

  /** The settings of the final evaluation of {@code runDir} on {@code split}. */
  private static SkillsdSettings settings(Path runDir, String split, int episodes, Map<String, String> extra) {
    Path parent = runDir.resolve(RunDirectory.FINAL_EVALS_DIR);
    Path finalCheckpoint = runDir.resolve("checkpoints").resolve("final");
    Optional<String> model = Files.isDirectory(finalCheckpoint)
        ? Optional.of(finalCheckpoint.toAbsolutePath().toString()) : Optional.empty();
    Map<String, String> o = new LinkedHashMap<>(extra);
    o.putAll(EvalCommand.evaluationOf(model, TrainSettings.EvalSplit.valueOf(split.toUpperCase(Locale.ROOT)),
        Optional.of(episodes)));
    o.put("skillsd.run.dir", ConfigUtil.quoteString(parent.toString()));
    o.put("skillsd.run.id", ConfigUtil.quoteString(split));
    return SkillsdSettings.load(runDir.resolve(RunDirectory.CONFIG_FILE), o);
  }

  /** An evaluation stopped on request (Ctrl-C, SIGTERM), which stops the experiment as a stopped run does. */
  public static final class Stopped extends RuntimeException {
    private final String signal;

    Stopped(String signal) {
      super("stopped by " + signal);
      this.signal = signal;
    }

    public String signal() {
      return signal;
    }
  }

  /** {@code "test split 16.4% of 256 tasks"}. */
  public String describe() {
    return String.format(Locale.ROOT, "%s split %.1f%% of %d tasks", split, 100 * success, episodes);
  }
}
