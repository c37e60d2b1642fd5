package io.skillsd.actors.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skillsd.actors.train.StopSignals;
import io.skillsd.environments.Task;
import io.skillsd.environments.sokoban.SokobanSettings;
import io.skillsd.policies.model.LanguageModel;
import io.skillsd.policies.model.ModelConfig;
import io.skillsd.policies.pretrain.BaseAgentEvaluation;
import io.skillsd.policies.pretrain.PretrainSettings;
import io.skillsd.policies.pretrain.Pretrainer;
import io.skillsd.policies.prompt.PromptStyle;
import io.skillsd.policies.tokenizer.WordTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skillsd pretrain}: supervised pretraining of the built-in base agent on Sokoban (recipe in
 * {@code docs/BASE-MODEL.md}), then its measurement on held-out levels; or, with {@code --evaluate}, only the
 * measurement of an existing checkpoint.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Pretrain the built-in base agent on Sokoban and measure it.",
    footer = {"", "Examples:",
        "  skillsd pretrain --out runs/base-agent",
        "  skillsd pretrain --preset ragen --steps 200 --seed 0 --out runs/base-agent",
        "  skillsd pretrain --evaluate models/base-agent --eval-levels 64"})
final class PretrainCommand implements Callable<Integer> {

  /** The shipped checkpoint's step count (docs/BASE-MODEL.md). */
  static final int DEFAULT_STEPS = 150;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--preset", description = "Sokoban preset of the data and the evaluation (default: ${DEFAULT-VALUE}).")
  String preset = SokobanSettings.RAGEN;

  @Option(names = "--steps", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
  int steps = DEFAULT_STEPS;

  @Option(names = "--seed", description = "Seed of the initialization and the data (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  @Option(names = "--batch-size", description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize = 8;

  @Option(names = "--learning-rate", description = "Peak AdamW learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate = 3e-3;

  @Option(names = "--out", description = "Checkpoint directory to write (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "base-agent");

  @Option(names = "--fill-to-end", description = "Student episodes left open by their plan go on with random "
      + "answers until they end, so later turns of failed episodes are in the data.")
  boolean fillToEnd;

  @Option(names = "--teacher-share", description = "Fraction of examples that are teacher episodes, with the "
      + "skill in the prompt (default: ${DEFAULT-VALUE}).")
  double teacherShare = 0.5;

  @Option(names = "--teacher-wander-share", description = "Fraction of teacher episodes that replay a solving plan "
      + "with random first moves, which only the skill can predict (default: ${DEFAULT-VALUE}).")
  double teacherWanderShare = 0;

  @Option(names = "--init", paramLabel = "DIR", description = "Start from this checkpoint (its size and prompt "
      + "style) instead of a fresh built-in model, to continue a recipe in stages.")
  Path init;

  @Option(names = "--size", description = "Size of the fresh built-in model: tiny, base or small10m "
      + "(default: ${DEFAULT-VALUE}).")
  String size = "base";

  @Option(names = "--prompt-style", description = "How the model is prompted, stored with the checkpoint: compact "
      + "(no instructions, the skill's golden workflow), answers (no instructions, the answers the skill quotes) "
      + "or full. Default: compact for a fresh model, the checkpoint's own style with --init.")
  String promptStyle;

  @Option(names = "--evaluate", paramLabel = "DIR", description = "Only measure this checkpoint; no training.")
  Path evaluate;

  @Option(names = "--eval-levels", description = "Held-out levels to measure on; 0 skips (default: ${DEFAULT-VALUE}).")
  int evalLevels = 64;

  @Option(names = "--eval-temperature", description = "Sampling temperature of the measurement; 0 = greedy "
      + "(default: ${DEFAULT-VALUE}).")
  float evalTemperature = 0f;

  @Option(names = "--failure-skills", description = "With --evaluate, also replay each level the model fails "
      + "without a skill under the skill of that failed attempt (what a Skill-SD bank holds for an unsolved level).")
  boolean failureSkills;

  @Option(names = "--solve-failures", description = "With --failure-skills, the analyst also corrects each failed "
      + "attempt with a solution found by search (skillsd.skills.analyst.solve-failures).")
  boolean solveFailures;

  @Option(names = "--similar-skills", paramLabel = "N", description = "With --evaluate, also play each held-out "
      + "level that shares its layout of boxes and targets with one of the first N training levels under the skill "
      + "of that training level (what skillsd.train.skill-retrieval = similar gives a level's teacher).")
  Integer similarSkills;

  @Option(names = "--max-new-tokens", description = "Reply cap in the measurement, as in training runs "
      + "(default: ${DEFAULT-VALUE}).")
  int maxNewTokens = 24;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    SokobanSettings sokoban = SokobanSettings.preset(preset);
    if (failureSkills && evaluate == null) {
      throw new UserError("--failure-skills measures a checkpoint: give it with --evaluate DIR", 2);
    }
    if (similarSkills != null && (evaluate == null || similarSkills < 1)) {
      throw new UserError("--similar-skills N measures a checkpoint with skills of N >= 1 training levels: give it "
          + "with --evaluate DIR", 2);
    }
    if (solveFailures && !failureSkills) {
      throw new UserError("--solve-failures changes the skills of --failure-skills: give both", 2);
    }
    if (evaluate != null) {
      if (!Files.isDirectory(evaluate)) {
        throw new UserError("no checkpoint directory " + evaluate, 2);
      }
      try (LanguageModel model = LanguageModel.load(evaluate, Device.cpu())) {
        out.println("evaluating " + evaluate + " (" + model.info().parameters() + " parameters)");
        out.flush();
        BaseAgentEvaluation.Result r = measure(model, sokoban);
        out.println(r.describe());
        if (failureSkills) {
          out.println("replaying the failed levels under the skills of their failed attempts...");
          out.flush();
          out.println(BaseAgentEvaluation.withFailureSkills(model, sokoban, evalTasks(sokoban), evalTemperature,
              maxNewTokens, seed, solveFailures).describe());
        }
        if (similarSkills != null) {
          // the training split of that size: held-out levels are drawn after it, as in a run with it
          SokobanSettings withTrain = SokobanSettings.fromOptions(Map.of("preset", preset,
              "train-size", Integer.toString(similarSkills), "test-size", Integer.toString(sokoban.testSize())));
          List<Task> train = new io.skillsd.environments.sokoban.SokobanEnvironment(withTrain).tasks().train();
          out.println("playing the held-out levels under the skills of training levels of the same layout...");
          out.flush();
          out.println(BaseAgentEvaluation.withSimilarSkills(model, withTrain, evalTasks(withTrain), train,
              evalTemperature, maxNewTokens, seed).describe());
        }
      }
      return 0;
    }
    PretrainSettings settings = new PretrainSettings(preset, steps, seed, batchSize, learningRate,
        Math.min(20, steps - 1), 0.01, 1.0, fillToEnd, teacherShare, teacherWanderShare);
    if (init != null && !Files.isDirectory(init)) {
      throw new UserError("no checkpoint directory " + init, 2);
    }
    PromptStyle style;
    try {
      style = PromptStyle.parse(style(promptStyle));
      if (init == null) {
        ModelConfig.builtIn(size, new WordTokenizer().vocabSize()); // validates the size before any work
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
    try (LanguageModel model = init == null ? LanguageModel.builtIn(size, seed, Device.cpu(), style)
        : promptStyle == null ? LanguageModel.load(init, Device.cpu()) : LanguageModel.load(init, Device.cpu(), style)) {
      out.printf(Locale.ROOT, "pretraining %s (%d parameters, %s prompts) on sokoban/%s: %d steps of %d examples, "
              + "seed %d%n", init == null ? "a fresh built-in " + size + " model" : init.toString(),
          model.info().parameters(), model.format().style().id(), preset, steps, batchSize, seed);
      out.flush();
      int every = Math.max(1, steps / 40);
      // Ctrl-C or SIGTERM ends pretraining after the step in progress (the JVM exiting in the middle of a
      // backward pass could crash in libtorch); nothing is saved.
      AtomicReference<String> stop = new AtomicReference<>();
      Pretrainer.Result result;
      StopSignals.Reaction stopAfterStep = new StopSignals.Reaction("stopping after the current step; nothing is saved", stop::set);
      try (StopSignals signals = StopSignals.install(stopAfterStep, stopAfterStep)) {
        result = Pretrainer.train(model, settings, p -> {
          if (p.step() % every == 0 || p.step() == p.steps() || p.step() == 1) {
            out.printf(Locale.ROOT, "step %d/%d  loss %.3f (avg %.3f)  lr %.2e  %.0f tokens/s  elapsed %s  eta %s%s%n",
                p.step(), p.steps(), p.loss(), p.smoothedLoss(), p.learningRate(), p.tokensPerSecond(),
                clock(p.elapsedSeconds()), clock(p.etaSeconds()),
                p.skippedSteps() == 0 ? "" : "  (" + p.skippedSteps() + " steps skipped: non-finite)");
            out.flush();
          }
          if (stop.get() != null && p.step() < p.steps()) {
            throw new Stopped(stop.get(), p.step(), p.steps());
          }
        });
      } catch (Stopped e) {
        out.printf(Locale.ROOT, "pretraining stopped (%s) after step %d of %d; nothing saved%n", e.signal, e.step, e.steps);
        out.flush();
        return StopSignals.exitStatus(e.signal);
      }
      Files.createDirectories(this.out);
      model.save(this.out, Map.of());
      String sha = sha256(this.out.resolve("model.safetensors"));
      Files.writeString(this.out.resolve("model.safetensors.sha256"), sha + "  model.safetensors\n");
      out.printf(Locale.ROOT, "saved %s (model.safetensors sha256 %s) after %s, %d tokens%n", this.out, sha,
          clock(result.seconds()), result.tokens());
      writeRecipe(settings, result, null, sha);
      if (evalLevels > 0) {
        BaseAgentEvaluation.Result eval = measure(model, sokoban);
        out.println(eval.describe());
        writeRecipe(settings, result, eval, sha);
      }
    }
    return 0;
  }

  private List<Task> evalTasks(SokobanSettings sokoban) {
    List<Task> test = sokoban.testSize() == 0 ? List.of() : new io.skillsd.environments.sokoban.SokobanEnvironment(sokoban)
        .tasks().test();
    return test.subList(0, Math.min(evalLevels, test.size()));
  }

  private BaseAgentEvaluation.Result measure(LanguageModel model, SokobanSettings sokoban) {
    List<Task> tasks = evalTasks(sokoban);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "measuring on %d held-out sokoban/%s levels, with and without a skill...%n", tasks.size(),
        sokoban.preset());
    out.flush();
    return BaseAgentEvaluation.run(model, sokoban, tasks, evalTemperature, maxNewTokens, seed);
  }

  /** The prompt style a fresh model gets: the one given, else compact. */
  private static String style(String given) {
    return given == null ? "compact" : given;
  }

  private void writeRecipe(PretrainSettings s, Pretrainer.Result r, BaseAgentEvaluation.Result eval, String sha)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("command", "skillsd pretrain --preset " + s.preset() + " --steps " + s.steps() + " --seed " + s.seed()
        + " --batch-size " + s.batchSize() + " --learning-rate " + s.learningRate()
        + (init == null ? " --size " + size + " --prompt-style " + style(promptStyle) : " --init " + init
            + (promptStyle == null ? "" : " --prompt-style " + promptStyle))
        + (s.fillToEnd() ? " --fill-to-end" : "") + (s.teacherShare() == 0.5 ? "" : " --teacher-share " + s.teacherShare())
        + (s.teacherWanderShare() == 0 ? "" : " --teacher-wander-share " + s.teacherWanderShare()));
    n.put("model", init == null ? "builtin:" + size : init.toString());
    n.put("preset", s.preset());
    n.put("steps", s.steps());
    n.put("seed", s.seed());
    n.put("batch_size", s.batchSize());
    n.put("learning_rate", s.learningRate());
    n.put("warmup_steps", s.warmupSteps());
    n.put("weight_decay", s.weightDecay());
    n.put("max_grad_norm", s.maxGradNorm());
    n.put("teacher_share", s.teacherShare());
    n.put("teacher_wander_share", s.teacherWanderShare());
    n.put("final_smoothed_loss", r.finalSmoothedLoss());
    n.put("seconds", r.seconds());
    n.put("tokens", r.tokens());
    n.put("answer_tokens", r.answerTokens());
    n.put("skipped_steps", r.skippedSteps());
    ObjectNode kinds = n.putObject("examples");
    r.examples().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> kinds.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()));
    n.put("model_safetensors_sha256", sha);
    if (eval != null) {
      ObjectNode e = n.putObject("evaluation");
      e.put("levels", eval.levels());
      e.put("temperature", eval.temperature());
      e.put("format_rate", eval.formatRate());
      e.put("success_without_skill", eval.successWithout());
      e.put("success_with_skill", eval.successWith());
      e.put("teacher_advantage_points", eval.teacherAdvantagePoints());
    }
    Files.writeString(out.resolve("pretrain.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  /** Ends {@link Pretrainer#train} from its progress callback, between two steps. */
  private static final class Stopped extends RuntimeException {
    final String signal;
    final int step;
    final int steps;

    Stopped(String signal, int step, int steps) {
      super(signal, null, false, false);
      this.signal = signal;
      this.step = step;
      this.steps = steps;
    }
  }
}
