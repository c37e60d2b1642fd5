package io.skillsd.actors.train;

import io.skillsd.actors.settings.SkillsdSettings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skillsd train}: a whole training run in this JVM. */
@Command(name = "train", description = "Train a policy (Skill-SD by default) and write runs/<id>/.",
    footer = {"", "Examples:",
        "  skillsd train",
        "  skillsd train --config examples/sokoban-skill-sd.conf -D skillsd.train.iterations=50",
        "  skillsd train -D skillsd.train.algorithm=grpo -D skillsd.environment.options.sokoban.preset=ragen"})
public final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", description = "A HOCON file of settings (see the reference.conf files).")
  Path config;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue runs/<id> from its latest checkpoint (its config plus -D overrides); a finished run "
      + "is extended with -D skillsd.train.iterations=N, N above the iterations it made.")
  Path resume;

  @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Override one setting, e.g. -D skillsd.train.iterations=5.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() {
    TrainingRun.Result result;
    if (resume != null) {
      if (config != null) {
        throw new io.skillsd.actors.cli.UserError("--resume uses the run's own config; change settings with -D", 2);
      }
      result = TrainingRun.resume(resume, overrides);
    } else {
      result = TrainingRun.run(SkillsdSettings.load(config, overrides));
    }
    var out = spec.commandLine().getOut();
    Map<String, Object> s = result.summary();
    out.println();
    out.printf("held-out accuracy: before %s, after %s (completion %s -> %s)%n",
        pct(s.get("heldout_success_before")), pct(s.get("heldout_success_after")),
        pct(s.get("heldout_completion_before")), pct(s.get("heldout_completion_after")));
    out.printf("episodes: launched %s, completed %s, retried %s, failed %s%n",
        s.get("launched"), s.get("completed"), s.get("retried"), s.get("failed"));
    out.println("run directory: " + result.runDir());
    if (java.nio.file.Files.isRegularFile(result.runDir().resolve("report.html"))) {
      out.println("report: " + result.runDir().resolve("report.html"));
    }
    out.println(outcomeLine(result));
    out.flush();
    return exitCode(result);
  }

  /** The last line a run prints: finished, stopped on request (and how to continue), or failed. */
  public static String outcomeLine(TrainingRun.Result result) {
    if (result.ok()) {
      return "run finished";
    }
    return result.stoppedBy().isPresent() ? "run " + result.message() : "run FAILED: " + result.message();
  }

  /** 0 finished; 128 + the signal's number when a signal stopped it (130 for SIGINT, 143 for SIGTERM); 1 failed. */
  public static int exitCode(TrainingRun.Result result) {
    if (result.ok()) {
      return 0;
    }
    return result.stoppedBy().map(StopSignals::exitStatus).orElse(1);
  }

  /** A rate as a percentage with one decimal, or n/a when absent. */
  static String pct(Object x) {
    return x instanceof Number n ? String.format("%.1f%%", 100 * n.doubleValue()) : "n/a";
  }
}
