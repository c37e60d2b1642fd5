package io.skillsd.actors.train;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skillsd.actors.coordinator.CheckpointState;
import io.skillsd.actors.coordinator.CoordinatorActor;
import io.skillsd.actors.coordinator.RunRecords;
import io.skillsd.actors.learner.LearnerProtocol;
import io.skillsd.policies.checkpoint.Checkpoints;
import io.skillsd.policies.checkpoint.HostTensor;
import java.util.Optional;
import io.skillsd.actors.coordinator.CoordinatorProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.run.RunDirectory;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.actors.skills.SkillsSettings;
import io.skillsd.actors.settings.SettingsException;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentProvider;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.skills.bank.SkillBank;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run in this JVM: creates the run directory and its logs, loads the models, starts the
 * actor system with the coordinator as guardian, waits for the outcome and terminates the system (always:
 * a running actor system would keep the JVM alive).
 */
public final class TrainingRun {

  private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

  /**
   * What a finished run reports.
   *
   * @param stoppedBy what stopped the run before its last iteration (e.g. {@code SIGINT}); empty when it
   *     finished or failed
   */
  public record Result(boolean ok, String message, Path runDir, Map<String, Object> summary, Optional<String> stoppedBy) {}

  private TrainingRun() {}

  /** A new run. Validates everything that can be checked before work starts; throws with a one-line message. */
  public static Result run(SkillsdSettings settings) {
    return run(settings, Optional.empty());
  }

  /**
   * A new run whose episodes go to {@code pool} (cluster mode) instead of runners in this JVM; the actor
   * system is configured by {@code settings.config()} (e.g. as a cluster node).
   */
  public static Result run(SkillsdSettings settings, Optional<io.skillsd.actors.coordinator.RolloutPool.Factory> pool) {
    Prepared p = prepare(settings);
    RunDirectory run = RunDirectory.create(settings, Clock.systemUTC(), p.train().iterations() == 0 ? "eval" : "");
    try (RunLogging logging = RunLogging.attach(run);
        TrainingModels models = TrainingModels.load(p.train().model(), p.train().modelSeed(), device(settings))) {
      if (p.train().keepsInitialWeights()) {
        models.keepInitial();
      }
      return execute(settings, p, run, models, new SkillBank(p.skills().bank(), p.bufferOf()), Optional.empty(), Optional.empty(), pool);
    }
  }

  /**
   * Continues the run in {@code runDir} from its latest checkpoint, with its own resolved config plus
   * {@code overrides} (e.g. more iterations). Metrics and trajectories are appended to the same run.
   *
   * <p>A finished run continues only with more iterations than it made ({@code -D skillsd.train.iterations=N}):
   * it goes on from its final checkpoint as if it had been started with N, since nothing a run does depends on
   * its total (the learning rate is constant after its warm-up). Its summary and the final evaluations of its
   * earlier final model are removed first, so an extension cut short is an unfinished run of N iterations.
   */
  public static Result resume(Path runDir, Map<String, String> overrides) {
    RunDirectory run = RunDirectory.open(runDir);
    SkillsdSettings settings = SkillsdSettings.load(run.config(), overrides);
    Prepared p = prepare(settings);
    Path checkpoint = CheckpointState.latest(run.root()).orElseThrow(() ->
        new IllegalArgumentException(runDir + " has no complete checkpoint to resume from (checkpoints/*/"
            + CheckpointState.FILE + ")"));
    CheckpointState state = CheckpointState.read(checkpoint);
    boolean finished = RunDirectory.finished(run.root());
    if (finished && p.train().iterations() <= state.iteration()) {
      throw new SettingsException("skillsd.train.iterations",
          Integer.toString(p.train().iterations()), runDir + " finished its " + state.iteration()
              + " iterations; to extend it, continue it with more (-D skillsd.train.iterations=N, N > "
              + state.iteration() + ")");
    }
    if (!overrides.isEmpty()) {
      try {
        Files.writeString(run.config(), settings.renderResolved() + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot update " + run.config(), e);
      }
    }
    if (finished) {
      log.info("extending the finished run {} from {} to {} iterations", run.root(), state.iteration(),
          p.train().iterations());
      try {
        Files.delete(run.root().resolve(RunDirectory.SUMMARY_FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the summary of the finished run " + run.root(), e);
      }
      RunDirectory.deleteTree(
          run.root().resolve(RunDirectory.FINAL_EVALS_DIR), "the earlier final evaluations");
    }
    Map<String, HostTensor> optimizer = Checkpoints.readOptimizerState(checkpoint); // empty when absent
    SkillBank bank;
    try {
      bank = SkillBank.restore(checkpoint.resolve("skills"), p.skills().bank(), p.bufferOf());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore the skill bank of " + checkpoint, e);
    }
    try (RunLogging logging = RunLogging.attach(run);
        TrainingModels models = TrainingModels.resume(checkpoint, device(settings))) {
      if (p.train().keepsInitialWeights() && models.initial().isEmpty()) {
        throw new IllegalArgumentException("skillsd.train.maintenance = kl-initial needs the initial weights, but "
            + checkpoint + " has no " + TrainingModels.INITIAL_WEIGHTS + " (it was written by a run without that term)");
      }
      log.info("resuming {} from {} (iteration {}, version {})", run.root(), checkpoint.getFileName(),
          state.iteration(), state.version());
      RunRecords.RolledBack rolledBack = RunRecords.rollBackTo(run.root(), state.iteration());
      if (rolledBack.any()) {
        log.warn("removed what the run recorded after that checkpoint (it plays those iterations again): "
            + "{} metrics lines, trajectory files {}", rolledBack.metricsLines(), rolledBack.trajectoryFiles());
      }
      return execute(settings, p, run, models, bank, Optional.of(state), Optional.of(new LearnerProtocol.ResumeState(
          optimizer, state.optimizerSteps(), state.updates(), state.attemptedSteps(), state.teacherSyncedFrom())),
          Optional.empty());
    }
  }

  /**
   * Applies {@code skillsd.compute} before the engine starts: libtorch reads its thread count once, when
   * DJL loads it.
   */
  public static void applyComputeSettings(SkillsdSettings settings) {
    int threads = settings.compute().threads();
    if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }

  private static String device(SkillsdSettings settings) {
    return io.skillsd.actors.settings.SettingsReader.label(settings.compute().device());
  }

  private record Prepared(TrainSettings train, SkillsSettings skills, EnvironmentProvider provider, Map<String, String> envOptions,
      Environment probe, UnaryOperator<String> bufferOf) {}

  private static Prepared prepare(SkillsdSettings settings) {
    applyComputeSettings(settings);
    TrainSettings train = TrainSettings.from(settings);
    EnvironmentProvider provider = EnvironmentRegistry.load().provider(settings.environment().name());
    Map<String, String> envOptions = settings.environment().options();
    Environment probe = provider.create(envOptions); // bad environment options fail here, before the run starts
    SkillsSettings skills = SkillsSettings.from(settings);
    if (train.reward() == TrainSettings.Reward.RETURN) {
      log.warn("skillsd.train.reward = return: GRPO on the shaped environment return can prefer short failing "
          + "episodes; completion is the recommended training reward");
    }
    return new Prepared(train, skills, provider, envOptions, probe, bufferOf(train.skillRetrieval(), probe));
  }

  /** The prefix of a shared buffer's key under {@code skill-retrieval = similar}. */
  static final String SIMILAR_PREFIX = "similar: ";

  /**
   * Which skill buffer each training task uses: its own ({@code task}), or the one shared by the training tasks
   * with its similarity key ({@code similar}; the key prefixed with {@link #SIMILAR_PREFIX}). Under
   * {@code similar}, a task the environment gives no similarity key keeps its own buffer.
   */
  static UnaryOperator<String> bufferOf(TrainSettings.SkillRetrieval retrieval, Environment env) {
    if (retrieval == TrainSettings.SkillRetrieval.TASK) {
      return UnaryOperator.identity();
    }
    Map<String, String> keys = new java.util.HashMap<>();
    List<io.skillsd.environments.Task> tasks = env.tasks().train();
    for (io.skillsd.environments.Task task : tasks) {
      env.similarityKey(task).ifPresent(key -> keys.put(task.id(), SIMILAR_PREFIX + key));
    }
    int train = tasks.size();
    if (keys.isEmpty()) {
      log.warn("skill retrieval: similar, but environment '{}' defines no similarity key; each of its {} training "
          + "tasks keeps its own skill buffer, as with skillsd.train.skill-retrieval = task", env.name(), train);
    } else {
      log.info("skill retrieval: similar; {} training tasks share {} skill buffers{}", keys.size(),
          new java.util.HashSet<>(keys.values()).size(),
          keys.size() < train ? "; " + (train - keys.size()) + " without a similarity key keep their own" : "");
    }
    return taskId -> keys.getOrDefault(taskId, taskId);
  }

  private static Result execute(SkillsdSettings settings, Prepared p, RunDirectory run, TrainingModels models,
      SkillBank bank, Optional<CheckpointState> state, Optional<LearnerProtocol.ResumeState> optimizer,
      Optional<io.skillsd.actors.coordinator.RolloutPool.Factory> pool) {
    log.info("run directory {}; environment {} ({} train / {} test tasks); model {} ({} parameters)",
        run.root(), p.probe().name(), p.probe().tasks().train().size(), p.probe().tasks().test().size(),
        p.train().model(), models.studentNetwork().parameterCount());
    Supplier<Environment> environments = () -> p.provider().create(p.envOptions());
    CompletableFuture<CoordinatorActor.Outcome> outcome = new CompletableFuture<>();
    ActorSystem<CoordinatorProtocol.Command> system = ActorSystem.create(
        CoordinatorActor.create(run.runId(), run.root(), p.train(), models, environments, bank,
            p.skills().newSummarizer(), settings.run().seed(), state, optimizer, pool, outcome),
        "skillsd", settings.config());
    CoordinatorActor.Outcome result;
    // Installed until the actor system has terminated: a signal must not start the JVM's shutdown while the
    // compute thread may still be inside libtorch.
    StopSignals signals = StopSignals.install(
        new StopSignals.Reaction(p.train().iterations() == 0 ? "stopping the evaluation"
            : "stopping after the current iteration, with a checkpoint",
            reason -> system.tell(new CoordinatorProtocol.Stop(reason, false))),
        new StopSignals.Reaction("stopping now; the iteration in progress is lost",
            reason -> system.tell(new CoordinatorProtocol.Stop(reason, true))));
    try {
      system.tell(new CoordinatorProtocol.Start());
      result = waitFor(outcome, system);
    } finally {
      system.terminate();
      awaitTermination(system);
      signals.close();
    }
    writeSummary(run.root(), result);
    Path report = io.skillsd.actors.report.RunReport.write(run.root());
    log.info("report: {}", report);
    return new Result(result.ok(), result.message(), run.root(), result.summary(), result.stoppedBy());
  }

  private static CoordinatorActor.Outcome waitFor(CompletableFuture<CoordinatorActor.Outcome> outcome,
      ActorSystem<?> system) {
    while (true) {
      try {
        return outcome.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        if (system.whenTerminated().isCompleted()) {
          return new CoordinatorActor.Outcome(false, "the actor system stopped before the run finished", Map.of());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new CoordinatorActor.Outcome(false, "interrupted", Map.of());
      } catch (ExecutionException e) {
        return new CoordinatorActor.Outcome(false, "run failed: " + e.getCause(), Map.of());
      }
    }
  }

  private static void awaitTermination(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("the actor system did not terminate cleanly: {}", e.toString());
    }
  }

  private static void writeSummary(Path root, CoordinatorActor.Outcome result) {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      json.writeValue(root.resolve(RunDirectory.SUMMARY_FILE).toFile(),
          Map.of("ok", result.ok(), "message", result.message(), "summary", result.summary()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + root.resolve(RunDirectory.SUMMARY_FILE), e);
    }
  }
}
