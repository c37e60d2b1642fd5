package io.skillsd.actors.experiment;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skillsd experiment sokoban}: the paper's comparison of training variants as one command. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Compare base, GRPO, OPD, skill-augmented GRPO, Skill-SD and its frozen-teacher ablation over "
        + "seeds at equal iterations; write results.md, results.json and learning curves.",
    footer = {"", "Runs go one after another into <out>/<variant>-s<seed>/. The same command",
        "with the same --out again skips finished runs and continues with the rest. Started in",
        "several shells at once, the same command shares the runs: each process takes the next",
        "run no other live process holds (<out>/.claims/), e.g. one process per free core.", "", "Examples:",
        "  skillsd experiment sokoban",
        "  skillsd experiment sokoban --seeds 3 --iterations 150 --out runs/exp1",
        "  skillsd experiment sokoban --variants grpo,skill-sd -D skillsd.train.lambda=0.01",
        "  skillsd experiment sokoban --out runs/exp1 --results-only",
        "  skillsd experiment sokoban --variants grpo --final-eval-episodes 128",
        "  skillsd experiment sokoban --seeds 3 --iterations 150 --out runs/exp1 \\",
        "      --final-eval-set skillsd.environment.options.sokoban.test-size=4096"})
public final class ExperimentCommand implements Callable<Integer> {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ENVIRONMENT", description = "The environment (e.g. sokoban).")
  String environment;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file of settings every run starts from (see the reference.conf files).")
  Path config;

  @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Override one setting for every run, e.g. -D skillsd.train.lambda=0.01.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds per variant (skillsd.run.seed = 0 … N-1; default ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "150", description = "Training iterations of every run (default ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--variants", split = ",", paramLabel = "NAME",
      defaultValue = "base,grpo,opd,skill-augmented-grpo,skill-sd,skill-sd-frozen",
      description = "Variants to compare, comma-separated (default: all, ${DEFAULT-VALUE}).")
  List<String> variants;

  @Option(names = "--out", paramLabel = "DIR", description = "The experiment directory (default runs/experiment-<UTC time>).")
  Path out;

  @Option(names = "--final-eval-episodes", paramLabel = "N", defaultValue = "0",
      description = "After each run, evaluate its final model on the first N tasks of the held-out and of the "
          + "training split, greedy, skills off (0 = every task; default ${DEFAULT-VALUE}). The runs' own "
          + "evaluations use skillsd.train.eval-episodes (64) held-out tasks.")
  int finalEvalEpisodes;

  @Option(names = "--final-eval-set", paramLabel = "KEY=VALUE",
      description = "A setting only the final evaluations get, over each run's own, e.g. a larger held-out split: "
          + "--final-eval-set skillsd.environment.options.sokoban.test-size=4096. Final evaluations made with other "
          + "settings are made again; the runs themselves are kept.")
  Map<String, String> finalEvalSettings = new LinkedHashMap<>();

  @Option(names = "--no-final-evals", description = "Skip the evaluations of --final-eval-episodes.")
  boolean noFinalEvals;

  @Option(names = "--results-only", description = "Write the table and charts from the runs finished so far and "
      + "start none (e.g. while the experiment runs in another shell); unfinished runs are left as they are.")
  boolean resultsOnly;

  @Override
  public Integer call() {
    Path dir = out != null ? out : Path.of("runs", "experiment-" + STAMP.format(Clock.systemUTC().instant()));
    ExperimentPlan plan = new ExperimentPlan(environment, Optional.ofNullable(config), overrides, seeds, iterations,
        variants.stream().map(Variant::parse).toList(), dir, commandLine(dir),
        noFinalEvals ? Optional.empty() : Optional.of(finalEvalEpisodes), finalEvalSettings);
    ExperimentRunner.Outcome outcome = new ExperimentRunner(plan, spec.commandLine().getOut()).run(!resultsOnly);
    var w = spec.commandLine().getOut();
    w.println();
    w.print(outcome.results().table());
    w.println();
    w.printf("runs: %d planned, %d finished earlier, %d run now, %d failed%s%s%n", outcome.planned(),
        outcome.skipped(), outcome.ran(), outcome.failed(),
        outcome.elsewhere() > 0 ? ", " + outcome.elsewhere() + " left to other processes" : "",
        resultsOnly ? " (--results-only: none started)" : "");
    w.println("results: " + dir.resolve(ExperimentResults.TABLE) + " (charts: " + dir.resolve(LearningCurves.CURVES)
        + ", " + dir.resolve(LearningCurves.HELDOUT) + ")");
    if (outcome.failed() > 0) {
      w.println("some runs FAILED; run the same command again to retry them");
    }
    w.flush();
    if (outcome.stoppedBy().isPresent()) {
      return io.skillsd.actors.train.StopSignals.exitStatus(outcome.stoppedBy().get());
    }
    return outcome.failed() == 0 ? 0 : 1;
  }

  /**
   * The command as the results record it: the arguments as given, with {@code --out} added when it was
   * chosen automatically, so the recorded command continues this very experiment.
   */
  private String commandLine(Path dir) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    String line = args.stream().map(ExperimentCommand::quote).collect(Collectors.joining(" "));
    if (out == null) {
      line += " --out " + quote(dir.toString());
    }
    return "./skillsd " + line;
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
