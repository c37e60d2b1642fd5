package io.skillsd.actors.train;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import io.skillsd.actors.cli.UserError;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.run.RunDirectory;
import io.skillsd.actors.settings.SkillsdSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skillsd eval}: one evaluation of a checkpoint on a split of the environment, through the same actor
 * runtime a training run evaluates with (batched policy server, one runner per episode, skills off), as a run
 * of zero iterations: its directory holds the resolved config, the logs, {@code metrics.jsonl}'s evaluation
 * line, the episodes' trajectories and {@code summary.json}, and no checkpoint.
 *
 * <p>A checkpoint inside a run ({@code runs/<id>/checkpoints/<name>}) is evaluated with that run's settings
 * (its environment, preset, turn and token limits), so the numbers compare with the run's own evaluations;
 * {@code --config} and {@code -D} change them.
 */
@Command(name = "eval", description = "Evaluate a checkpoint on the held-out (or training) split, skills off, "
    + "and write runs/<id>-eval/.",
    footer = {"", "Examples:",
        "  skillsd eval --checkpoint runs/<id>/checkpoints/final",
        "  skillsd eval --checkpoint runs/<id>/checkpoints/iter-0050 --split train --episodes 0",
        "  skillsd eval --checkpoint models/base-agent -D skillsd.environment.options.sokoban.preset=skill-sd"})
public final class EvalCommand implements Callable<Integer> {

  public static final String MODEL = "skillsd.policy.model";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
      description = "A run's checkpoint (runs/<id>/checkpoints/<name>), a model directory (models/base-agent, a "
          + "HuggingFace Qwen2/Qwen3 directory) or builtin:tiny|base|small10m.")
  String checkpoint;

  @Option(names = "--split", defaultValue = "test",
      description = "test (held-out tasks) or train (the training tasks) (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--episodes", paramLabel = "N",
      description = "Tasks to play, the split's first N, one episode each; 0 = all (default: the settings' "
          + "skillsd.train.eval-episodes, 64).")
  Integer episodes;

  @Option(names = "--temperature", paramLabel = "T",
      description = "Sampling temperature; 0 = greedy (default: the settings' skillsd.train.eval-temperature, 0).")
  Float temperature;

  @Option(names = "--config", description = "A HOCON file of settings (default: the run's own config.conf when "
      + "the checkpoint is inside a run, else the defaults).")
  Path config;

  @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Override one setting, e.g. "
      + "-D skillsd.train.max-new-tokens=32.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() {
    TrainSettings.EvalSplit evalSplit = parseSplit(split);
    if (episodes != null && episodes < 0) {
      throw new UserError("--episodes must be 0 (all) or more, was " + episodes, 2);
    }
    if (overrides.containsKey(MODEL)) {
      throw new UserError("the model to evaluate is --checkpoint, not -D " + MODEL, 2);
    }
    // A directory as the launcher finds it (models/base-agent from any working directory); builtin:* as given.
    Optional<Path> dir = checkpoint.startsWith("builtin:") ? Optional.empty()
        : Optional.of(TrainingModels.checkpointPath(checkpoint).toAbsolutePath());
    if (dir.isPresent() && !Files.isDirectory(dir.get())) {
      throw new UserError("no such checkpoint directory: " + checkpoint, 2);
    }
    Optional<Path> runConfig = config != null ? Optional.empty() : dir.flatMap(EvalCommand::runConfigOf);
    Path settingsFile = config != null ? config : runConfig.orElse(null);
    SkillsdSettings settings = SkillsdSettings.load(settingsFile,
        settingsFor(evalSplit, dir.map(Path::toString).orElse(checkpoint)));

    PrintWriter out = spec.commandLine().getOut();
    out.printf("evaluating %s on %s, %s split%s%n", checkpoint, settings.environment().name(),
        evalSplit.id(),
        runConfig.map(c -> " (the settings of the run it belongs to: " + c + ")").orElse(""));
    out.flush();
    TrainingRun.Result result = TrainingRun.run(settings);

    @SuppressWarnings("unchecked")
    Map<String, Object> last = result.summary().get("last_eval") instanceof Map<?, ?> m
        ? (Map<String, Object>) m : Map.of();
    if (!last.isEmpty()) {
      out.printf("%s split: success %s, completion %s, answer format %s over %s episodes (%s, skills off); "
              + "%s different first answers%n",
          last.get("split"), TrainCommand.pct(last.get("success")), TrainCommand.pct(last.get("completion")),
          TrainCommand.pct(last.get("format_rate")),
          last.get("episodes"), mode(settings), last.get("distinct_first_answers"));
    }
    out.println("run directory: " + result.runDir());
    Path trajectories = result.runDir().resolve("trajectories").resolve("eval-0000.jsonl");
    if (Files.isRegularFile(trajectories)) {
      out.println("episodes: " + trajectories);
    }
    out.println(result.ok() ? "evaluation finished" : TrainCommand.outcomeLine(result).replaceFirst("^run ", "evaluation "));
    out.flush();
    return TrainCommand.exitCode(result);
  }

  /**
   * The overrides of an evaluation: the user's, then what makes it one — {@code model} to evaluate, zero
   * iterations, the split — and a new run directory under the default parent unless the user names one (a
   * run's own config names its directory and id, which the evaluation must not reuse).
   */
  Map<String, String> settingsFor(TrainSettings.EvalSplit evalSplit, String model) {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    all.putIfAbsent("skillsd.run.dir", ConfigFactory.defaultReference().getString("skillsd.run.dir"));
    all.putIfAbsent("skillsd.run.id", "");
    all.putAll(evaluationOf(Optional.of(model), evalSplit, Optional.ofNullable(episodes)));
    if (temperature != null) {
      all.put("skillsd.train.eval-temperature", temperature.toString());
    }
    return all;
  }

  /**
   * The settings that make a run one evaluation: zero iterations, on {@code split}, of {@code model} (absent:
   * the settings' own model) and on the split's first {@code episodes} tasks (absent: the settings' own
   * {@code eval-episodes}; 0 = all).
   */
  public static Map<String, String> evaluationOf(Optional<String> model, TrainSettings.EvalSplit split,
      Optional<Integer> episodes) {
    Map<String, String> o = new LinkedHashMap<>();
    model.ifPresent(m -> o.put(MODEL, ConfigUtil.quoteString(m)));
    o.put("skillsd.train.iterations", "0");
    o.put("skillsd.train.eval-split", split.id());
    episodes.ifPresent(n -> o.put("skillsd.train.eval-episodes", n.toString()));
    return o;
  }

  /** The config of the run a checkpoint belongs to ({@code <run>/checkpoints/<name>}), if it is one. */
  static Optional<Path> runConfigOf(Path checkpointDir) {
    Path abs = checkpointDir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || parent.getFileName() == null || !parent.getFileName().toString().equals("checkpoints")) {
      return Optional.empty();
    }
    Path runConfig = parent.getParent().resolve(RunDirectory.CONFIG_FILE);
    return Files.isRegularFile(runConfig) ? Optional.of(runConfig) : Optional.empty();
  }

  private static TrainSettings.EvalSplit parseSplit(String s) {
    try {
      return TrainSettings.EvalSplit.valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("--split must be test or train, was '" + s + "'", 2);
    }
  }

  private static String mode(SkillsdSettings settings) {
    double t = settings.config().getDouble("skillsd.train.eval-temperature");
    return t == 0 ? "greedy" : "temperature " + t;
  }

}
