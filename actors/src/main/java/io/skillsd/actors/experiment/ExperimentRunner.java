package io.skillsd.actors.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.skillsd.actors.coordinator.CheckpointState;
import io.skillsd.actors.run.RunDirectory;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainSettings;
import io.skillsd.actors.train.TrainingRun;
import io.skillsd.environments.EnvironmentRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link ExperimentPlan}: one training run after another in this JVM, each in its own run
 * directory, with a progress line per run (run k of K, variant, seed, elapsed time, ETA from the runs that
 * finished). A run whose directory already holds a finished run made with the same settings is skipped, so
 * running the same experiment again continues it; an unfinished run made with the same settings continues
 * from its latest checkpoint (a run stopped with Ctrl-C writes one), and any other unfinished run's
 * directory is removed and the run starts over. A finished run that differs only in having made fewer
 * iterations is extended from its final checkpoint ({@link TrainingRun#resume}), so an experiment run again
 * with a larger {@code --iterations} continues its runs instead of repeating them. A run stopped on request
 * stops the experiment. The results are rewritten after every run.
 *
 * <p>Several processes may run the same experiment at once: each takes a run ({@link RunClaim}) before it
 * trains or evaluates it and passes over the runs another live process holds, so two processes on two free
 * cores finish the experiment in about half the time. The results each writes hold the runs finished so far.
 */
public final class ExperimentRunner {

  private static final Logger log = LoggerFactory.getLogger(ExperimentRunner.class);

  /**
   * What one invocation did.
   *
   * @param elsewhere runs passed over because another process sharing the experiment held them
   * @param stoppedBy what stopped a run, and with it the experiment, before it finished (e.g. {@code SIGINT})
   */
  public record Outcome(int planned, int skipped, int ran, int failed, int elsewhere, ExperimentResults results,
      Optional<String> stoppedBy) {}

  private final ExperimentPlan plan;
  private final PrintWriter out;

  public ExperimentRunner(ExperimentPlan plan, PrintWriter out) {
    this.plan = plan;
    this.out = out;
  }

  /**
   * Validates every run's settings, checks finished runs against them, then runs what is left. Bad settings
   * and a finished run made with other settings fail here, before any run starts, with one-line messages.
   */
  public Outcome run() {
    return run(true);
  }

  /**
   * As {@link #run()}, or with {@code startRuns} false only reads the runs finished so far and writes the
   * results: nothing starts and no unfinished directory is touched (one may be running in another process).
   */
  public Outcome run(boolean startRuns) {
    List<ExperimentPlan.Run> runs = plan.runs();
    List<SkillsdSettings> settings = runs.stream().map(plan::settings).toList();
    validate(settings);
    List<Boolean> done = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      done.add(finishedWithSameSettings(plan.dir(runs.get(i)), settings.get(i)));
    }
    long skipped = done.stream().filter(d -> d).count();
    out.printf("experiment %s: %d runs (%d variant%s x %d seed%s, %d iterations); %d finished earlier, %d to run%n",
        plan.out(), runs.size(), plan.variants().size(), plan.variants().size() == 1 ? "" : "s", plan.seeds(),
        plan.seeds() == 1 ? "" : "s", plan.iterations(), skipped, runs.size() - skipped);
    out.flush();
    if (!startRuns) {
      ExperimentResults results = ExperimentResults.read(plan);
      results.write();
      return new Outcome(runs.size(), (int) skipped, 0, 0, 0, results, Optional.empty());
    }

    // Per run, read once here: what it continues from (a checkpoint, or a finished shorter run it extends), so
    // the part of it left to train (less than all of it for a run continued or extended), and the time runs
    // of its variant took.
    List<Double> share = new ArrayList<>();
    Map<Variant, List<Double>> seconds = new EnumMap<>(Variant.class);
    for (int i = 0; i < runs.size(); i++) {
      Variant variant = runs.get(i).variant();
      Path dir = plan.dir(runs.get(i));
      if (done.get(i)) {
        share.add(0.0);
        RunRecord.read(dir).ifPresent(r -> seconds.computeIfAbsent(variant, v -> new ArrayList<>()).add(r.seconds()));
      } else {
        Optional<Integer> extended = shorterFinished(dir, settings.get(i));
        share.add(shareLeft(resumable(dir, settings.get(i)).or(() -> extended), plan.iterations()));
        // A finished run to be extended: its time, scaled to the iterations asked for.
        extended.filter(made -> made > 0).ifPresent(made -> RunRecord.read(dir)
            .ifPresent(r -> seconds.computeIfAbsent(variant, v -> new ArrayList<>())
                .add(r.seconds() * plan.iterations() / made)));
      }
    }
    long start = System.nanoTime();
    int ran = 0;
    int failed = 0;
    Optional<String> stoppedBy = Optional.empty();
    int elsewhere = 0;
    for (int i = 0; i < runs.size(); i++) {
      ExperimentPlan.Run run = runs.get(i);
      String head = String.format(Locale.ROOT, "run %d of %d: %s, seed %d", i + 1, runs.size(), run.variant().label(), run.seed());
      boolean isDone = done.get(i);
      RunClaim claim = null;
      if (!isDone || lacksFinalEvaluations(run)) {
        RunClaim.Attempt attempt = RunClaim.take(plan.out(), run.id());
        if (attempt instanceof RunClaim.HeldElsewhere h) {
          out.printf("%s: taken by %s, left to it (a claim left by a process that has ended on this host is taken "
              + "over; remove %s if that process is gone)%n", head, h.holder(), h.file());
          out.flush();
          elsewhere++;
          continue;
        }
        claim = ((RunClaim.Taken) attempt).claim();
        // Another process sharing this experiment may have finished it since the start.
        isDone = isDone || finishedWithSameSettings(plan.dir(run), settings.get(i));
      }
      try {
        if (isDone) {
          out.println(head + ": finished earlier, skipped");
          out.flush();
        } else {
          Optional<Integer> from = resumable(plan.dir(run), settings.get(i));
          Optional<Integer> shorter = from.isEmpty() ? shorterFinished(plan.dir(run), settings.get(i)) : Optional.empty();
          out.printf("%s: %s (elapsed %s, ETA %s)%n", head,
              shorter.map(k -> "extending its finished run of " + k + " iterations to " + plan.iterations())
                  .or(() -> from.map(k -> "continuing from its checkpoint of iteration " + k)).orElse("starting"),
              duration(seconds(System.nanoTime() - start)),
              eta(runs.subList(i, runs.size()), done.subList(i, done.size()), share.subList(i, share.size()), seconds));
          out.flush();
          if (from.isEmpty() && shorter.isEmpty()) {
            removeUnfinished(plan.dir(run));
          } else if (from.isPresent()) {
            // Evaluations of an earlier final model, if any: the continued run makes its own.
            RunDirectory.deleteTree(plan.dir(run).resolve(RunDirectory.FINAL_EVALS_DIR), "the earlier final evaluations");
          } // an extended run's are removed by TrainingRun.resume, with its summary
          long runStart = System.nanoTime();
          ran++;
          String result;
          try {
            TrainingRun.Result r = shorter.isPresent()
                ? TrainingRun.resume(plan.dir(run), Map.of(ITERATIONS, Integer.toString(plan.iterations())))
                : from.isPresent() ? TrainingRun.resume(plan.dir(run), Map.of())
                : TrainingRun.run(settings.get(i));
            double took = seconds(System.nanoTime() - runStart);
            if (r.stoppedBy().isPresent()) {
              stoppedBy = r.stoppedBy();
              out.println(head + ": " + r.message());
              out.println("experiment stopped; run the same command again to continue it");
              out.flush();
              break;
            }
            if (r.ok()) {
              // As a whole run's time, so that the estimates of the runs left stay comparable.
              seconds.computeIfAbsent(run.variant(), v -> new ArrayList<>()).add(took / Math.max(share.get(i), 0.05));
              RunRecord rec = run.variant().view(RunRecord.read(r.runDir()).orElseThrow());
              result = String.format(Locale.ROOT, "finished in %s: held-out success %.1f%%, completion %.1f%%",
                  duration(took), 100 * rec.finalHeldout().success(), 100 * rec.finalHeldout().completion());
            } else {
              failed++;
              result = "FAILED after " + duration(took) + ": " + r.message();
            }
          } catch (RuntimeException e) {
            failed++;
            log.error("run {} failed", run.id(), e);
            result = "FAILED: " + e;
          }
          out.println(head + ": " + result);
          out.flush();
        }
        try {
          if (RunDirectory.finished(plan.dir(run)) && !finalEvaluations(run, head)) {
            failed++;
          }
        } catch (FinalEvaluation.Stopped e) {
          stoppedBy = Optional.of(e.signal());
          break;
        }
        if (!isDone) {
          ExperimentResults.read(plan).write();
        }
      } finally {
        if (claim != null) {
          claim.close();
        }
      }
    }
    ExperimentResults results = ExperimentResults.read(plan);
    results.write();
    return new Outcome(runs.size(), (int) skipped, ran, failed, elsewhere, results, stoppedBy);
  }

  /**
   * Whether the plan asks for final evaluations that {@code run}'s directory does not hold yet, or holds made
   * with other settings.
   */
  private boolean lacksFinalEvaluations(ExperimentPlan.Run run) {
    return plan.finalEvalEpisodes().isPresent()
        && FinalEvaluation.SPLITS.stream().anyMatch(split -> currentFinalEvaluation(run, split).isEmpty());
  }

  /** The final evaluation of {@code run} on {@code split}, if it is finished and made with the plan's settings. */
  private Optional<FinalEvaluation> currentFinalEvaluation(ExperimentPlan.Run run, String split) {
    Path dir = plan.dir(run);
    return FinalEvaluation.read(dir, split).filter(e -> FinalEvaluation.current(dir, split,
        plan.finalEvalEpisodes().orElseThrow(), plan.finalEvalSettings()));
  }

  /**
   * Makes the final evaluations of the finished {@code run} that it lacks, when the plan asks for them, and
   * prints what they found; false when one failed (the run itself stays finished, and the same command
   * makes the evaluation again).
   *
   * @throws FinalEvaluation.Stopped when an evaluation was stopped on request; the experiment stops
   */
  private boolean finalEvaluations(ExperimentPlan.Run run, String head) {
    if (plan.finalEvalEpisodes().isEmpty()) {
      return true;
    }
    Path dir = plan.dir(run);
    List<String> found = new ArrayList<>();
    for (String split : FinalEvaluation.SPLITS) {
      Optional<FinalEvaluation> earlier = currentFinalEvaluation(run, split);
      try {
        FinalEvaluation e = earlier.isPresent() ? earlier.get()
            : FinalEvaluation.run(dir, split, plan.finalEvalEpisodes().get(), plan.finalEvalSettings());
        found.add(e.describe() + (earlier.isPresent() ? " (made earlier)" : ""));
      } catch (FinalEvaluation.Stopped e) {
        out.println(head + ": final evaluation " + e.getMessage());
        out.println("experiment stopped; run the same command again to continue it");
        out.flush();
        throw e;
      } catch (RuntimeException e) {
        log.error("final evaluation of {} on the {} split failed", run.id(), split, e);
        out.println(head + ": final evaluation on the " + split + " split FAILED: " + e.getMessage());
        out.flush();
        return false;
      }
    }
    out.println(head + ": final model on " + String.join(", ", found));
    out.flush();
    return true;
  }

  /**
   * The iteration of the latest checkpoint of the unfinished run in {@code dir}, when it was made with
   * {@code settings}; empty when there is none to continue (no directory, no checkpoint, other settings).
   */
  private static Optional<Integer> resumable(Path dir, SkillsdSettings settings) {
    if (!Files.isRegularFile(dir.resolve(RunDirectory.CONFIG_FILE)) || RunDirectory.finished(dir)
        || !differingKeys(dir.resolve(RunDirectory.CONFIG_FILE), settings).isEmpty()) {
      return Optional.empty();
    }
    return CheckpointState.latest(dir)
        .map(c -> CheckpointState.read(c).iteration());
  }

  private static final String ITERATIONS = "skillsd.train.iterations";

  /**
   * The iterations of the finished run in {@code dir} when it was made with {@code settings} except for
   * fewer iterations, and kept its final checkpoint: such a run is extended rather than run again.
   */
  static Optional<Integer> shorterFinished(Path dir, SkillsdSettings settings) {
    Path config = dir.resolve(RunDirectory.CONFIG_FILE);
    if (!RunDirectory.finished(dir) || !differingKeys(config, settings).equals(List.of(ITERATIONS))
        || CheckpointState.latest(dir).isEmpty()) {
      return Optional.empty();
    }
    int made = ConfigFactory.parseFile(config.toFile()).getInt(ITERATIONS);
    return made < settings.config().getInt(ITERATIONS) ? Optional.of(made) : Optional.empty();
  }

  private void validate(List<SkillsdSettings> settings) {
    for (SkillsdSettings s : settings) {
      TrainSettings.from(s); // a bad training setting fails here with the key, the value and what is allowed
    }
    SkillsdSettings first = settings.get(0);
    EnvironmentRegistry.load().provider(first.environment().name()).create(first.environment().options());
  }

  /**
   * Whether {@code dir} holds a finished run made with {@code settings}. A finished run made with other
   * settings is refused: mixing it into the results would compare unlike runs.
   */
  private boolean finishedWithSameSettings(Path dir, SkillsdSettings settings) {
    if (!RunDirectory.finished(dir)) {
      return false;
    }
    List<String> differing = differingKeys(dir.resolve(RunDirectory.CONFIG_FILE), settings);
    if (shorterFinished(dir, settings).isPresent()) {
      return false;
    }
    if (!differing.isEmpty()) {
      throw new IllegalArgumentException(dir + " is a finished run made with other settings (" + String.join(", ",
          differing.subList(0, Math.min(3, differing.size()))) + (differing.size() > 3 ? ", ..." : "")
          + "); use another --out, or remove that directory to run it again");
    }
    return true;
  }

  /**
   * Keys whose values differ between a run's stored config and {@code settings} (the run's folder aside). A
   * key the stored config lacks — a setting added after the run was made — counts as its default, so a run
   * stays comparable as long as that default is what the run did.
   */
  static List<String> differingKeys(Path storedConfig, SkillsdSettings settings) {
    if (!Files.isRegularFile(storedConfig)) {
      return List.of(RunDirectory.CONFIG_FILE + " is missing");
    }
    Config withDefaults = ConfigFactory.parseFile(storedConfig.toFile())
        .withFallback(ConfigFactory.defaultReference()).resolve();
    Map<String, String> stored = flatten(withDefaults.getConfig("skillsd").atPath("skillsd"));
    Map<String, String> wanted = flatten(ConfigFactory.parseString(settings.renderResolved()));
    TreeSet<String> keys = new TreeSet<>(stored.keySet());
    keys.addAll(wanted.keySet());
    return keys.stream().filter(k -> !java.util.Objects.equals(stored.get(k), wanted.get(k))).toList();
  }

  private static Map<String, String> flatten(Config config) {
    Map<String, String> flat = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.withoutPath("skillsd.run.dir").entrySet()) {
      flat.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
    }
    return flat;
  }

  /** Removes what an interrupted or failed run left, so the run starts over in a fresh directory. */
  private static void removeUnfinished(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isRegularFile(dir.resolve(RunDirectory.CONFIG_FILE))) {
      throw new IllegalStateException(dir + " exists but is not a run directory; move it away to run the experiment");
    }
    RunDirectory.deleteTree(dir, "the unfinished run");
  }

  /**
   * The part of a run left to train, in [0, 1]: the iterations after {@code from} (the checkpoint it continues
   * from, or the iterations of the finished run it extends) over {@code iterations}; all of it without one.
   */
  private static double shareLeft(Optional<Integer> from, int iterations) {
    if (iterations <= 0) {
      return 1.0;
    }
    return from.map(k -> Math.max(0.0, Math.min(1.0, (iterations - k) / (double) iterations))).orElse(1.0);
  }

  /**
   * The time the runs left will take, each estimated by the mean time of its variant's finished runs, or of
   * all finished training runs when its variant has none yet, times the part of it left to train.
   */
  private static String eta(List<ExperimentPlan.Run> left, List<Boolean> done, List<Double> share,
      Map<Variant, List<Double>> seconds) {
    List<Double> training = seconds.entrySet().stream().filter(e -> e.getKey().trains())
        .flatMap(e -> e.getValue().stream()).toList();
    double total = 0;
    for (int i = 0; i < left.size(); i++) {
      if (done.get(i)) {
        continue;
      }
      Variant v = left.get(i).variant();
      Optional<Double> estimate = mean(seconds.getOrDefault(v, List.of()))
          .or(() -> v.trains() ? mean(training) : Optional.empty());
      if (estimate.isEmpty()) {
        return "after the first " + (v.trains() ? "training run" : v.label() + " run");
      }
      total += estimate.get() * share.get(i);
    }
    return duration(total);
  }

  private static Optional<Double> mean(List<Double> xs) {
    return xs.isEmpty() ? Optional.empty() : Optional.of(xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
    return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
