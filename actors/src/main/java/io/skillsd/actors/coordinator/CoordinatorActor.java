package io.skillsd.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.coordinator.CoordinatorProtocol.CheckpointWritten;
import io.skillsd.actors.coordinator.CoordinatorProtocol.Command;
import io.skillsd.actors.coordinator.CoordinatorProtocol.Crashed;
import io.skillsd.actors.coordinator.CoordinatorProtocol.Finished;
import io.skillsd.actors.coordinator.CoordinatorProtocol.LearnerDied;
import io.skillsd.actors.coordinator.CoordinatorProtocol.LearnerUpdated;
import io.skillsd.actors.coordinator.CoordinatorProtocol.PoolReported;
import io.skillsd.actors.coordinator.CoordinatorProtocol.WeightsPublished;
import io.skillsd.actors.coordinator.CoordinatorProtocol.GroupSkill;
import io.skillsd.actors.coordinator.CoordinatorProtocol.OwnSkill;
import io.skillsd.actors.coordinator.CoordinatorProtocol.SkillsSelected;
import io.skillsd.actors.coordinator.CoordinatorProtocol.Start;
import io.skillsd.actors.coordinator.CoordinatorProtocol.TeacherScored;
import io.skillsd.actors.learner.LearnerActor;
import io.skillsd.actors.learner.LearnerProtocol;
import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.actors.rollout.EpisodeRunnerActor;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.actors.skills.SkillBankActor;
import io.skillsd.actors.skills.SkillBankProtocol;
import io.skillsd.actors.skills.SkillSummarizerActor;
import io.skillsd.actors.teacher.TeacherActor;
import io.skillsd.actors.teacher.TeacherProtocol;
import io.skillsd.actors.settings.SettingsReader;
import io.skillsd.actors.train.TrainSettings;
import io.skillsd.environments.Environment;
import io.skillsd.environments.Task;
import io.skillsd.policies.objectives.Advantages;
import io.skillsd.policies.optim.StepDiagnostics;
import io.skillsd.policies.prompt.TeacherPrompt;
import io.skillsd.policies.prompt.Transcript;
import io.skillsd.skills.bank.SkillBank;
import io.skillsd.skills.bank.SkillSelection;
import io.skillsd.skills.summarizer.SkillSummarizer;
import io.skillsd.skills.summarizer.SummaryContext;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Drives a training run: held-out evaluation, then per iteration the GRPO groups (tasks × G episodes, all
 * concurrent), teacher scoring of each trajectory as it finishes, asynchronous skill summarization, one
 * learner update once every group is complete, checkpoints and periodic evaluation. It spawns and
 * supervises every other role.
 *
 * <p>Failure handling: an episode runner that fails (its environment threw) is re-run up to
 * {@code episode-retries} times, then counted failed — never silently dropped (launched = completed +
 * retried + failed). The learner or policy server failing stops the run with a checkpoint and a message.
 */
public final class CoordinatorActor extends AbstractBehavior<Command> {

  /**
   * How the run ended, completed on stop.
   *
   * @param stoppedBy the reason of a {@link CoordinatorProtocol.Stop} that ended the run before its last
   *     iteration (then {@code ok} is false and the summary names the checkpoint to resume from)
   */
  public record Outcome(boolean ok, String message, Map<String, Object> summary, Optional<String> stoppedBy) {
    public Outcome(boolean ok, String message, Map<String, Object> summary) {
      this(ok, message, summary, Optional.empty());
    }
  }

  private enum Phase { EVAL_BEFORE, TRAIN, EVAL, EVAL_AFTER, FINISHING, DONE }

  /**
   * How often a stage that is still rolling out says how far it has got. An iteration's own line comes when it
   * ends (about 12 s apart on Sokoban's defaults), but episodes that fill a long context can keep the first
   * one minutes away.
   */
  static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofSeconds(30);

  /** How long the coordinator waits for an update's reply before it takes the learner for lost. */
  private static final java.time.Duration UPDATE_DEADLINE = java.time.Duration.ofDays(7);

  /** When the iteration's update was sent to the learner; 0 while none is in progress. */
  private long updateSentNanos;

  private final String runId;
  private final Path runDir;
  private final TrainSettings settings;
  private final TrainingModels models;
  private final Supplier<Environment> environments;
  private final List<Task> trainTasks;
  private final List<Task> evalTasks;
  private final int maxTurns;
  private final long seed;
  private final SkillSummarizer skillSummarizer;
  private final CompletableFuture<Outcome> outcome;
  private final RunRecorder recorder;
  private final Optional<CheckpointState> resume;

  private final ActorRef<PolicyServerProtocol.Command> policy;
  private final ActorRef<TeacherProtocol.Command> teacher;
  private final ActorRef<LearnerProtocol.Command> learner;
  private final ActorRef<SkillBankProtocol.Command> bank;
  private final ActorRef<SkillSummarizerActor.Command> summarizer;
  private final ActorRef<EpisodeResult> finishedAdapter;
  private final ActorRef<TeacherProtocol.Scored> scoredAdapter;
  private final Optional<ActorRef<RolloutPool.Command>> pool;
  private final ActorRef<RolloutPool.Outcome> poolAdapter;

  private Phase phase = Phase.EVAL_BEFORE;
  private int iteration;
  /** Why the run was asked to stop early; null while it was not. */
  private String stopReason;
  /** The iteration of the last checkpoint written (a resumed run's own); -1 before any. */
  private int checkpointIteration = -1;
  private int nextTask;
  private final Map<String, Episode> inFlight = new HashMap<>();
  /** The evaluation's episodes not started yet: it plays eval-concurrency at a time, wave after wave. */
  private final ArrayDeque<Episode> evalPending = new ArrayDeque<>();
  private final List<EpisodeResult> results = new ArrayList<>();
  private final Map<String, float[]> teacherLogp = new HashMap<>();
  private final Map<String, String> teacherPending = new HashMap<>();
  /** The skill each scored episode's teacher saw. */
  private final Map<String, TeacherSkillUsed> teacherSkills = new HashMap<>();
  private int groupSkills;
  /** Successful episodes' own skills (rendered), for the maintenance term, and those still being summarized. */
  private final Map<String, String> ownSkills = new HashMap<>();
  private final java.util.Set<String> ownSkillsPending = new java.util.HashSet<>();
  private List<Task> iterationTasks = List.of();
  private List<Optional<SkillSelection>> selections = List.of();
  private long launched;
  private long completed;
  private long retried;
  private long failed;
  private long iterationStartNanos;
  private long rolloutDoneNanos;
  private long runStartNanos;
  private double lastTrainSeconds;
  private final Map<String, Object> summary = new LinkedHashMap<>();

  /**
   * @param resume the state of the checkpoint this run continues from (its weights, optimizer state and
   *     skill bank are already loaded into {@code models}, {@code optimizer} and {@code skillBank})
   */
  public static Behavior<Command> create(String runId, Path runDir, TrainSettings settings, TrainingModels models,
      Supplier<Environment> environments, SkillBank skillBank, SkillSummarizer skillSummarizer, long seed,
      Optional<CheckpointState> resume, Optional<LearnerProtocol.ResumeState> optimizer, CompletableFuture<Outcome> outcome) {
    return create(runId, runDir, settings, models, environments, skillBank, skillSummarizer, seed, resume, optimizer,
        Optional.empty(), outcome);
  }

  /**
   * As above; with a {@code pool}, episodes run wherever that {@link RolloutPool} sends them (cluster mode)
   * instead of in this JVM, and every update's weights are published to it before the next rollouts.
   */
  public static Behavior<Command> create(String runId, Path runDir, TrainSettings settings, TrainingModels models,
      Supplier<Environment> environments, SkillBank skillBank, SkillSummarizer skillSummarizer, long seed,
      Optional<CheckpointState> resume, Optional<LearnerProtocol.ResumeState> optimizer,
      Optional<RolloutPool.Factory> pool, CompletableFuture<Outcome> outcome) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "coordinator"),
        Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
          timers.startTimerWithFixedDelay(new CoordinatorProtocol.ProgressTick(), PROGRESS_EVERY);
          return new CoordinatorActor(ctx, runId, runDir, settings, models, environments, skillBank,
              skillSummarizer, seed, resume, optimizer, pool, outcome);
        })));
  }

  private CoordinatorActor(ActorContext<Command> ctx, String runId, Path runDir, TrainSettings settings,
      TrainingModels models, Supplier<Environment> environments, SkillBank skillBank, SkillSummarizer skillSummarizer,
      long seed, Optional<CheckpointState> resume, Optional<LearnerProtocol.ResumeState> optimizer,
      Optional<RolloutPool.Factory> poolFactory, CompletableFuture<Outcome> outcome) {
    super(ctx);
    this.resume = resume;
    this.runId = runId;
    this.runDir = runDir;
    this.settings = settings;
    this.models = models;
    this.environments = environments;
    this.seed = seed;
    this.outcome = outcome;
    this.skillSummarizer = skillSummarizer;
    Environment probe = environments.get();
    this.trainTasks = probe.tasks().train();
    List<Task> split = settings.evalSplit() == TrainSettings.EvalSplit.TRAIN ? trainTasks : probe.tasks().test();
    this.evalTasks = settings.evalEpisodes() > 0 && settings.evalEpisodes() < split.size()
        ? split.subList(0, settings.evalEpisodes()) : split;
    if (trainTasks.isEmpty()) {
      throw new IllegalArgumentException("environment '" + probe.name() + "' has no training tasks");
    }
    this.maxTurns = settings.maxTurns() > 0 ? settings.maxTurns() : 1_000;
    this.recorder = new RunRecorder(runDir, settings.recordTokenLogProbs());

    DispatcherSelector compute = DispatcherSelector.fromConfig("skillsd-compute-dispatcher");
    DispatcherSelector io = DispatcherSelector.fromConfig("skillsd-io-dispatcher");
    this.policy = ctx.spawn(PolicyServerActor.create(runId, models, settings.maxNewTokens(), settings.topP(),
        settings.maxBatch(), settings.deterministic(), settings.batching(), settings.prefixCacheMinTokens()), "policy-server", compute);
    this.teacher = ctx.spawn(TeacherActor.create(runId, models, settings.deterministic() ? 1 : Integer.MAX_VALUE,
        resume.map(CheckpointState::teacherSyncedFrom).orElse(0L)), "teacher", compute);
    this.learner = ctx.spawn(LearnerActor.create(runId, models, settings.objective(), settings.update(),
        settings.maintenanceWeight(), settings.maxStaleness(), optimizer, teacher), "learner", compute);
    this.bank = ctx.spawn(SkillBankActor.create(runId, skillBank), "skill-bank");
    this.summarizer = ctx.spawn(SkillSummarizerActor.create(runId, skillSummarizer, bank), "summarizer", io);
    ctx.watchWith(learner, new LearnerDied());
    ctx.watchWith(policy, new LearnerDied());
    ctx.watchWith(teacher, new LearnerDied());
    this.finishedAdapter = ctx.messageAdapter(EpisodeResult.class, Finished::new);
    this.scoredAdapter = ctx.messageAdapter(TeacherProtocol.Scored.class, TeacherScored::new);
    this.pool = poolFactory.map(f -> ctx.spawn(f.create(models), "rollout-pool", compute));
    this.pool.ifPresent(p -> ctx.watchWith(p, new LearnerDied()));
    this.poolAdapter = ctx.messageAdapter(RolloutPool.Outcome.class, PoolReported::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, s -> onStart())
        .onMessage(CoordinatorProtocol.Stop.class, this::onStopRequested)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(Crashed.class, this::onCrashed)
        .onMessage(SkillsSelected.class, this::onSkillsSelected)
        .onMessage(TeacherScored.class, this::onTeacherScored)
        .onMessage(GroupSkill.class, this::onGroupSkill)
        .onMessage(OwnSkill.class, this::onOwnSkill)
        .onMessage(LearnerUpdated.class, this::onLearnerUpdated)
        .onMessage(PoolReported.class, this::onPoolReported)
        .onMessage(WeightsPublished.class, w -> afterUpdate(w.update(), Optional.of(w.published())))
        .onMessage(CheckpointWritten.class, this::onCheckpointWritten)
        .onMessage(LearnerDied.class, d -> onComputeDied())
        .onMessage(CoordinatorProtocol.ProgressTick.class, t -> onProgressTick())
        .onSignal(akka.actor.typed.PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onStart() {
    runStartNanos = System.nanoTime();
    if (settings.iterations() == 0) {
      getContext().getLog().info("run {}: an evaluation only, {} tasks of the {} split, temperature {}", runId,
          evalTasks.size(), splitName(), settings.evalTemperature());
    } else {
      getContext().getLog().info("run {}: {} iterations of {} tasks x {} episodes, algorithm {}{}, reward {}, {} held-out tasks",
          runId, settings.iterations(), settings.tasksPerIteration(), settings.groupSize(),
          SettingsReader.label(settings.objective().algorithm()),
          settings.maintenanceWeight() > 0 ? " with the maintenance term ("
              + SettingsReader.label(settings.maintenance()) + ", μ " + settings.maintenanceWeight() + ")" : "",
          SettingsReader.label(settings.reward()), evalTasks.size());
    }
    if (resume.isPresent()) {
      CheckpointState r = resume.get();
      iteration = r.iteration();
      checkpointIteration = r.iteration();
      nextTask = (int) r.nextTask();
      launched = r.launched();
      completed = r.completed();
      retried = r.retried();
      failed = r.failed();
      models.setVersion(r.version());
      summary.putAll(r.summary());
      getContext().getLog().info("resumed at iteration {} (weights version {})", iteration, r.version());
      phase = Phase.TRAIN;
      continueAfterIteration();
      return this;
    }
    startEval(Phase.EVAL_BEFORE);
    return this;
  }

  // ---- evaluation ------------------------------------------------------------------------------------

  private void startEval(Phase evalPhase) {
    phase = evalPhase;
    results.clear();
    iterationStartNanos = System.nanoTime();
    if (evalTasks.isEmpty()) {
      afterEval();
      return;
    }
    int member = 0;
    evalPending.clear();
    for (Task task : evalTasks) {
      String id = "eval" + String.format("%04d", iteration) + "-" + String.format("%03d", member);
      evalPending.add(Episode.student(id, task, iteration, member, 0, true, settings.evalTemperature(), seed ^ (0x5EEDL + member)));
      member++;
    }
    launchEvalWave();
  }

  /**
   * Starts the next eval-concurrency episodes of the evaluation. Waves, not a sliding window: each wave
   * starts once the one before has ended, so which episodes share a batch does not depend on timing, and at
   * most eval-concurrency sessions (each with its KV cache) are alive at once however large the split.
   */
  private void launchEvalWave() {
    List<Episode> wave = new ArrayList<>(Math.min(evalPending.size(), settings.evalConcurrency()));
    while (!evalPending.isEmpty() && wave.size() < settings.evalConcurrency()) {
      wave.add(evalPending.poll());
    }
    launch(wave);
  }

  /** An evaluation episode has ended: the next wave starts once this one is over, the result after the last. */
  private void evalEpisodeEnded() {
    if (!inFlight.isEmpty()) {
      return;
    }
    if (evalPending.isEmpty()) {
      finishEval();
      return;
    }
    int done = evalTasks.size() - evalPending.size();
    getContext().getLog().info("{} evaluation: {} of {} episodes played, success so far {}%", splitName(), done,
        evalTasks.size(), String.format(Locale.ROOT, "%.1f", 100 * IterationStats.of(results).success()));
    launchEvalWave();
  }

  private void finishEval() {
    IterationStats stats = IterationStats.of(results);
    String label = phase == Phase.EVAL_BEFORE ? "before" : phase == Phase.EVAL_AFTER ? "after" : "periodic";
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "eval");
    line.put("label", label);
    line.put("iteration", iteration);
    line.put("version", models.version());
    line.put("heldout_episodes", stats.episodes());
    line.put("heldout_success", stats.success());
    line.put("heldout_completion", stats.completion());
    line.put("heldout_format_rate", stats.formatRate());
    line.put("heldout_distinct_first_answers", stats.distinctFirstAnswers());
    line.put("context_full", stats.contextFull());
    line.put("split", splitName());
    line.put("eval_seconds", seconds(System.nanoTime() - iterationStartNanos));
    recorder.metrics(line);
    recorder.trajectories("eval-" + String.format("%04d", iteration), results, Map.of(), Map.of());
    summary.put("last_eval", Map.of("split", splitName(), "iteration", iteration, "episodes", stats.episodes(),
        "success", stats.success(), "completion", stats.completion(), "format_rate", stats.formatRate(),
        "distinct_first_answers", stats.distinctFirstAnswers()));
    if (phase == Phase.EVAL_BEFORE) {
      summary.put("heldout_success_before", stats.success());
      summary.put("heldout_completion_before", stats.completion());
    }
    if (phase == Phase.EVAL_AFTER) {
      summary.put("heldout_success_after", stats.success());
      summary.put("heldout_completion_after", stats.completion());
    }
    getContext().getLog().info("{} ({}, iteration {}): success {} completion {} format {} over {} episodes, {} different first answers{}",
        settings.evalSplit() == TrainSettings.EvalSplit.TEST ? "held-out" : "train split", label, iteration,
        pct(stats.success()), pct(stats.completion()), pct(stats.formatRate()), stats.episodes(),
        stats.distinctFirstAnswers(),
        stats.contextFull() == 0 ? "" : ", " + stats.contextFull() + " ended filling the model's context");
    afterEval();
  }

  private String splitName() {
    return settings.evalSplit().id();
  }

  private void afterEval() {
    if (phase == Phase.EVAL_AFTER) {
      finishRun();
    } else if (phase == Phase.EVAL_BEFORE && settings.iterations() == 0) {
      // Nothing to train: the model after is the model just evaluated.
      summary.put("heldout_success_after", summary.get("heldout_success_before"));
      summary.put("heldout_completion_after", summary.get("heldout_completion_before"));
      finishRun();
    } else if (iteration >= settings.iterations()) {
      startEval(Phase.EVAL_AFTER);
    } else {
      startIteration();
    }
  }

  // ---- training iterations ---------------------------------------------------------------------------

  private void startIteration() {
    phase = Phase.TRAIN;
    iteration++;
    iterationStartNanos = System.nanoTime();
    results.clear();
    teacherLogp.clear();
    teacherPending.clear();
    teacherSkills.clear();
    ownSkills.clear();
    ownSkillsPending.clear();
    groupSkills = 0;
    List<Task> tasks = new ArrayList<>(settings.tasksPerIteration());
    for (int i = 0; i < settings.tasksPerIteration(); i++) {
      tasks.add(trainTasks.get(nextTask % trainTasks.size()));
      nextTask++;
    }
    iterationTasks = List.copyOf(tasks);
    if (settings.objective().algorithm().usesDistillation() || settings.objective().algorithm().skillInStudentPrompt()
        || settings.teacherRollouts()) {
      List<String> ids = tasks.stream().map(Task::id).toList();
      int it = iteration;
      getContext().ask(SkillBankProtocol.Selected.class, bank, java.time.Duration.ofSeconds(30),
          reply -> new SkillBankProtocol.Select(ids, reply),
          (selected, error) -> {
            if (error != null) {
              throw new IllegalStateException("the skill bank did not answer: " + error.getMessage(), error);
            }
            return new SkillsSelected(it, selected);
          });
    } else {
      selections = tasks.stream().map(t -> Optional.<SkillSelection>empty()).toList();
      launchGroups();
    }
  }

  private Behavior<Command> onSkillsSelected(SkillsSelected s) {
    if (s.iteration() == iteration && phase == Phase.TRAIN) {
      selections = s.selected().selections();
      launchGroups();
    }
    return this;
  }

  private void launchGroups() {
    List<Episode> episodes = new ArrayList<>(iterationTasks.size() * settings.groupSize());
    for (int g = 0; g < iterationTasks.size(); g++) {
      for (int m = 0; m < settings.groupSize(); m++) {
        String id = String.format("it%04d-t%02d-g%02d", iteration, g, m);
        long episodeSeed = seed * 0x9E3779B97F4A7C15L + (long) iteration * 1_000_003L + g * 1_009L + m;
        boolean skillInRollout = settings.objective().algorithm().skillInStudentPrompt() || settings.teacherRollouts();
        Optional<String> rolloutSkill = skillInRollout
            ? selections.get(g).map(sel -> models.format().style().render(sel.skill())) : Optional.empty();
        episodes.add(new Episode(id, iterationTasks.get(g), iteration, g, m, 0, false, settings.temperature(), episodeSeed,
            rolloutSkill, settings.teacherRollouts()));
      }
    }
    launch(episodes);
  }

  /**
   * Every {@link #PROGRESS_EVERY}: while a stage has been rolling out for at least that long, one console
   * line with its finished and running episodes; while an update has run that long, one line saying so.
   * Quick stages never print it.
   */
  private Behavior<Command> onProgressTick() {
    if (phase == Phase.TRAIN && updateSentNanos != 0) {
      long updating = (System.nanoTime() - updateSentNanos) / 1_000_000_000L;
      if (updating >= PROGRESS_EVERY.toSeconds()) {
        getContext().getLog().info("iteration {}/{}: the learner's update has run {} s", iteration,
            settings.iterations(), updating);
      }
      return this;
    }
    long seconds = (System.nanoTime() - iterationStartNanos) / 1_000_000_000L;
    boolean rollingOut = phase == Phase.TRAIN || phase == Phase.EVAL_BEFORE || phase == Phase.EVAL
        || phase == Phase.EVAL_AFTER;
    if (!rollingOut || inFlight.isEmpty() || seconds < PROGRESS_EVERY.toSeconds()) {
      return this;
    }
    String stage = phase == Phase.TRAIN ? "iteration " + iteration + "/" + settings.iterations()
        : splitName() + " evaluation"; // as the evaluation's line after each wave
    getContext().getLog().info("{}: {} episodes finished, {} running, {} s so far", stage, results.size(),
        inFlight.size(), seconds);
    return this;
  }

  /**
   * Starts {@code episodes}: on the cluster's rollout pool, or in this JVM with every one announced to the
   * policy server before any runner starts.
   */
  private void launch(List<Episode> episodes) {
    if (pool.isPresent()) {
      for (Episode episode : episodes) {
        pool.get().tell(new RolloutPool.Run(episode, poolAdapter));
        track(episode);
      }
    } else {
      EpisodeRunnerActor.launchAll(policy, episodes, this::spawnRunner);
    }
  }

  private void launch(Episode episode) {
    launch(List.of(episode));
  }

  private void spawnRunner(Episode episode) {
    EpisodeRunnerActor.spawnWatched(getContext(), EpisodeRunnerActor.create(runId, episode, environments,
        models.format(), policy, maxTurns, finishedAdapter), episode.episodeId(), new Crashed(episode));
    track(episode);
  }

  /** An episode started: in flight until it reports, and counted as launched unless it is an evaluation. */
  private void track(Episode episode) {
    inFlight.put(episode.episodeId(), episode);
    if (!episode.evaluation()) {
      launched++;
    }
  }

  private Behavior<Command> onFinished(Finished f) {
    EpisodeResult r = f.result();
    Episode e = r.episode();
    if (inFlight.remove(e.episodeId()) == null) {
      return this;
    }
    results.add(r);
    if (e.evaluation()) {
      evalEpisodeEnded();
      return this;
    }
    completed++;
    if (!settings.deterministic()) {
      summarize(r);
    }
    Optional<SkillSelection> skill = selections.get(e.group());
    if (settings.maintenanceWeight() > 0 && r.trajectory().metrics().success()) {
      summarizeOwnSkill(r);
    }
    if (settings.objective().algorithm().usesDistillation()) {
      if (settings.teacherSkill() == TrainSettings.TeacherSkill.GROUP_SUCCESS) {
        if (groupDone(e.group())) {
          scoreGroup(e.group());
        }
      } else {
        skill.ifPresent(sel -> score(r, sel));
      }
    }
    checkIterationComplete();
    return this;
  }

  /** Asks the teacher to score {@code r} under task ⊕ the bank's selected skill. */
  private void score(EpisodeResult r, SkillSelection sel) {
    score(r, sel.skillId(), models.format().style().render(sel.skill()));
  }

  /** Asks the teacher to score {@code r} under task ⊕ the rendered skill. */
  private void score(EpisodeResult r, String skillId, String renderedSkill) {
    String id = r.episode().episodeId();
    teacherPending.put(id, skillId);
    teacherSkills.put(id, new TeacherSkillUsed(skillId, renderedSkill));
    teacher.tell(new TeacherProtocol.Score(id, r.transcript(), teacherPrompt(r, renderedSkill), scoredAdapter));
  }

  /** Whether every episode of training group {@code g} has finished or failed for good. */
  private boolean groupDone(int g) {
    return inFlight.values().stream().noneMatch(ep -> !ep.evaluation() && ep.group() == g);
  }

  private List<EpisodeResult> groupResults(int g) {
    return results.stream().filter(r -> r.episode().group() == g)
        .sorted(java.util.Comparator.comparing(r -> r.episode().episodeId())).toList();
  }

  /**
   * Teacher skill {@code group-success}: once group {@code g} is complete, its first success (in episode
   * order) is summarized into a skill and every member is scored under it; a group without a success is
   * scored under its bank skill, if it has one.
   */
  private void scoreGroup(int g) {
    List<EpisodeResult> members = groupResults(g);
    Optional<EpisodeResult> success = members.stream().filter(r -> r.trajectory().metrics().success()).findFirst();
    if (success.isEmpty()) {
      selections.get(g).ifPresent(sel -> members.forEach(r -> score(r, sel)));
      return;
    }
    EpisodeResult from = success.get();
    String fromId = from.episode().episodeId();
    members.forEach(r -> teacherPending.put(r.episode().episodeId(), "group:" + fromId)); // the iteration waits
    int it = iteration;
    getContext().pipeToSelf(
        skillSummarizer.summarize(from.trajectory(), new SummaryContext(fromId, from.version(), reward(from))),
        (skill, error) -> new GroupSkill(it, g, fromId, error == null ? skill : Optional.empty()));
  }

  /** Maintenance term: the success is replayed under the skill summarized from itself (hindsight). */
  private void summarizeOwnSkill(EpisodeResult r) {
    String id = r.episode().episodeId();
    ownSkillsPending.add(id); // the iteration waits for it
    int it = iteration;
    getContext().pipeToSelf(skillSummarizer.summarize(r.trajectory(), new SummaryContext(id, r.version(), reward(r))),
        (skill, error) -> new OwnSkill(it, id, error == null ? skill : Optional.empty()));
  }

  private Behavior<Command> onOwnSkill(OwnSkill m) {
    if (m.iteration() != iteration || phase != Phase.TRAIN || !ownSkillsPending.remove(m.episodeId())) {
      return this;
    }
    m.skill().ifPresent(skill -> ownSkills.put(m.episodeId(), models.format().style().render(skill)));
    checkIterationComplete();
    return this;
  }

  private Behavior<Command> onGroupSkill(GroupSkill m) {
    if (m.iteration() != iteration || phase != Phase.TRAIN) {
      return this;
    }
    List<EpisodeResult> members = groupResults(m.group());
    members.forEach(r -> teacherPending.remove(r.episode().episodeId()));
    if (m.skill().isPresent()) {
      groupSkills++;
      String rendered = models.format().style().render(m.skill().get());
      members.forEach(r -> score(r, "group:" + m.fromEpisode(), rendered));
    } else {
      getContext().getLog().warn("no skill from {}, the success of group {}; its bank skill, if any, is used",
          m.fromEpisode(), m.group());
      selections.get(m.group()).ifPresent(sel -> members.forEach(r -> score(r, sel)));
      checkIterationComplete();
    }
    return this;
  }

  /** The teacher's view of an episode's task: its instructions and first observation with the skill. */
  private TeacherPrompt teacherPrompt(EpisodeResult r, String renderedSkill) {
    return new TeacherPrompt(r.trajectory().instructions(), r.trajectory().firstObservation(), renderedSkill);
  }

  /**
   * A successful trajectory under the teacher's prompt with the skill summarized from itself, for the
   * skill-conditioned maintenance term; empty when the term is off or the trajectory has no own skill.
   */
  private Optional<Transcript> maintenance(EpisodeResult r) {
    String skill = ownSkills.get(r.episode().episodeId());
    if (settings.maintenanceWeight() <= 0 || skill == null) {
      return Optional.empty();
    }
    return Optional.of(models.format().forTeacher(r.transcript(), teacherPrompt(r, skill)));
  }

  /** The skill a teacher scored an episode under: its id (a bank id, or {@code group:<episode>}) and text. */
  private record TeacherSkillUsed(String skillId, String rendered) {}

  private void summarize(EpisodeResult r) {
    if (!settings.skillSources().accepts(r.trajectory().metrics().success())) {
      return;
    }
    summarizer.tell(new SkillSummarizerActor.Summarize(r.trajectory(),
        new SummaryContext(r.episode().episodeId(), r.version(), reward(r))));
  }

  private Behavior<Command> onCrashed(Crashed c) {
    Episode e = c.episode();
    if (inFlight.remove(e.episodeId()) == null) {
      return this; // finished normally, then stopped
    }
    policy.tell(new PolicyServerProtocol.Leave(e.episodeId()));
    if (e.attempt() < settings.episodeRetries()) {
      if (!e.evaluation()) {
        retried++;
      }
      getContext().getLog().warn("episode {} failed (attempt {}); running it again", e.episodeId(), e.attempt() + 1);
      launch(e.retry()); // every attempt counts as launched: launched = completed + retried + failed
    } else {
      if (!e.evaluation()) {
        failed++;
      }
      getContext().getLog().error("episode {} failed {} times; it is left out of its group", e.episodeId(), e.attempt() + 1);
      if (e.evaluation()) {
        evalEpisodeEnded();
      } else {
        if (settings.objective().algorithm().usesDistillation()
            && settings.teacherSkill() == TrainSettings.TeacherSkill.GROUP_SUCCESS && groupDone(e.group())) {
          scoreGroup(e.group());
        }
        checkIterationComplete();
      }
    }
    return this;
  }

  private Behavior<Command> onPoolReported(PoolReported p) {
    RolloutPool.Outcome o = p.outcome();
    if (o instanceof RolloutPool.Done d) {
      return onFinished(new Finished(d.result()));
    }
    if (o instanceof RolloutPool.Failed f) {
      return onCrashed(new Crashed(f.episode()));
    }
    Episode e = o.episode();
    if (inFlight.remove(e.episodeId()) == null) {
      return this;
    }
    // The node was lost, not the episode: it runs again elsewhere without using up its retries.
    if (!e.evaluation()) {
      retried++;
    }
    getContext().getLog().warn("episode {} was in flight on lost node {}; running it again", e.episodeId(),
        ((RolloutPool.Lost) o).node());
    launch(e.retry());
    return this;
  }

  private Behavior<Command> onTeacherScored(TeacherScored s) {
    String id = s.scored().episodeId();
    if (teacherPending.remove(id) != null) {
      teacherLogp.put(id, s.scored().logpTeacher());
      checkIterationComplete();
    }
    return this;
  }

  private void checkIterationComplete() {
    if (phase != Phase.TRAIN) {
      return;
    }
    if (!inFlight.isEmpty()) {
      return;
    }
    if (rolloutDoneNanos < iterationStartNanos) {
      rolloutDoneNanos = System.nanoTime();
      results.sort(java.util.Comparator.comparing(r -> r.episode().episodeId()));
      if (settings.deterministic()) {
        results.forEach(this::summarize); // in episode order, so skills enter the bank in a fixed order
      }
    }
    if (!teacherPending.isEmpty() || !ownSkillsPending.isEmpty()) {
      return;
    }
    List<LearnerProtocol.Sample> samples = new ArrayList<>();
    Map<String, Map<String, Object>> extra = new HashMap<>();
    for (int g = 0; g < iterationTasks.size(); g++) {
      List<EpisodeResult> group = new ArrayList<>();
      for (EpisodeResult r : results) {
        if (r.episode().group() == g) {
          group.add(r);
        }
      }
      if (group.isEmpty()) {
        continue;
      }
      double[] rewards = group.stream().mapToDouble(this::reward).toArray();
      double[] adv = Advantages.groupNormalized(rewards);
      double mean = java.util.Arrays.stream(rewards).average().orElse(0);
      Optional<SkillSelection> skill = selections.get(g);
      skill.ifPresent(sel -> bank.tell(new SkillBankProtocol.RecordReward(sel.taskId(), sel.skillId(), mean)));
      for (int i = 0; i < group.size(); i++) {
        EpisodeResult r = group.get(i);
        float[] teacherScores = teacherLogp.getOrDefault(r.episode().episodeId(), new float[0]);
        Optional<Transcript> replay = maintenance(r);
        samples.add(new LearnerProtocol.Sample(r.episode().episodeId(), r.transcript(), r.logpOld(), teacherScores,
            adv[i], r.version(), replay));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reward", rewards[i]);
        m.put("advantage", adv[i]);
        skill.ifPresent(sel -> m.put("skill", sel.skillId()));
        TeacherSkillUsed used = teacherSkills.get(r.episode().episodeId());
        if (used != null && !skill.map(sel -> sel.skillId().equals(used.skillId())).orElse(false)) {
          m.put("teacher_skill", used.skillId()); // the teacher's skill was not the bank's selection
        }
        if (replay.isPresent()) {
          m.put("maintenance", true);
        }
        extra.put(r.episode().episodeId(), m);
      }
    }
    recorder.trajectories(String.format("iter-%04d", iteration), results, extra, teacherLogp);
    int it = iteration;
    updateSentNanos = System.nanoTime();
    // A learner that dies is caught by the watch; the update itself may take hours (long dialogues, a large
    // model on a CPU), so the reply's deadline only guards against a learner that neither answers nor dies.
    getContext().ask(LearnerProtocol.Updated.class, learner, UPDATE_DEADLINE,
        reply -> new LearnerProtocol.Update(it, samples, reply),
        (updated, error) -> {
          if (error != null) {
            getContext().getLog().error("the learner's update of iteration {} did not answer within {}", it, UPDATE_DEADLINE);
            return new LearnerDied();
          }
          return new LearnerUpdated(updated);
        });
  }

  private Behavior<Command> onLearnerUpdated(LearnerUpdated u) {
    updateSentNanos = 0;
    if (pool.isPresent()) {
      long version = u.updated().version();
      getContext().ask(RolloutPool.Published.class, pool.get(), java.time.Duration.ofHours(1),
          reply -> new RolloutPool.Publish(version, reply),
          (published, error) -> error != null ? new LearnerDied() : new WeightsPublished(u, published));
      return this;
    }
    return afterUpdate(u, Optional.empty());
  }

  private Behavior<Command> afterUpdate(LearnerUpdated u, Optional<RolloutPool.Published> published) {
    LearnerProtocol.Updated up = u.updated();
    long now = System.nanoTime();
    IterationStats stats = IterationStats.of(results);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "train");
    line.put("iteration", iteration);
    line.put("version", up.version());
    line.put("episodes", stats.episodes());
    line.put("launched", launched);
    line.put("completed", completed);
    line.put("retried", retried);
    line.put("failed", failed);
    line.put("success", stats.success());
    line.put("completion", stats.completion());
    line.put("return", stats.meanReturn());
    line.put("reward", results.stream().mapToDouble(this::reward).average().orElse(0));
    line.put("format_rate", stats.formatRate());
    line.put("turns", stats.meanTurns());
    line.put("context_full", stats.contextFull());
    line.put("skills_selected", selections.stream().filter(Optional::isPresent).count());
    line.put("teacher_scored", teacherLogp.size());
    if (settings.teacherSkill() == TrainSettings.TeacherSkill.GROUP_SUCCESS) {
      line.put("group_success_skills", groupSkills);
    }
    line.put("teacher_student_gap", teacherGap());
    line.put("refused_stale", up.refusedStale());
    putStepMeans(line, up.steps());
    long sampledTokens = results.stream().mapToLong(r -> countSampled(r)).sum();
    double rolloutSeconds = seconds(rolloutDoneNanos - iterationStartNanos);
    line.put("rollout_seconds", rolloutSeconds);
    line.put("scoring_wait_seconds", seconds(now - rolloutDoneNanos) - up.millis() / 1000.0);
    line.put("update_seconds", up.millis() / 1000.0);
    line.put("iteration_seconds", seconds(now - iterationStartNanos));
    line.put("sampled_tokens", sampledTokens);
    line.put("rollout_tokens_per_second", rolloutSeconds > 0 ? sampledTokens / rolloutSeconds : 0);
    line.put("generate_ms_total", results.stream().mapToLong(EpisodeResult::generateMillis).sum());
    line.put("env_ms_total", results.stream().mapToLong(EpisodeResult::envMillis).sum());
    published.ifPresent(p -> {
      line.put("weights_broadcast_seconds", p.millis() / 1000.0);
      line.put("weights_broadcast_bytes", p.bytes());
      line.put("rollout_nodes", p.nodes());
      line.put("episodes_by_node", results.stream().collect(java.util.stream.Collectors.groupingBy(
          EpisodeResult::node, java.util.TreeMap::new, java.util.stream.Collectors.counting())));
    });
    recorder.metrics(line);
    lastTrainSeconds = seconds(now - iterationStartNanos);
    double eta = lastTrainSeconds * (settings.iterations() - iteration);
    getContext().getLog().info("iteration {}/{}: success {} completion {} reward {} loss {} skills {} gap {}{} | {}s, ETA {}",
        iteration, settings.iterations(), pct(stats.success()), pct(stats.completion()),
        fmt((double) line.get("reward")), fmt((double) line.getOrDefault("loss", 0.0)),
        line.get("skills_selected"), fmt(teacherGap()),
        stats.contextFull() == 0 ? "" : " context-full " + stats.contextFull(), fmt(lastTrainSeconds), eta(eta));
    if (stopReason != null && iteration < settings.iterations()) {
      writeCheckpoint(iterationCheckpoint()); // its arrival ends the run
      return this;
    }
    boolean checkpointDue = settings.checkpointEvery() > 0 && iteration % settings.checkpointEvery() == 0
        && iteration < settings.iterations();
    if (checkpointDue) {
      writeCheckpoint(iterationCheckpoint());
      return this;
    }
    continueAfterIteration();
    return this;
  }

  private void continueAfterIteration() {
    if (iteration >= settings.iterations()) {
      startEval(Phase.EVAL_AFTER);
    } else if (settings.evalEvery() > 0 && iteration % settings.evalEvery() == 0) {
      startEval(Phase.EVAL);
    } else {
      startIteration();
    }
  }

  private void writeCheckpoint(String name) {
    Path dir = runDir.resolve("checkpoints").resolve(name);
    Path skillsDir = dir.resolve("skills");
    CompletableFuture<LearnerProtocol.CheckpointSaved> weights = akka.actor.typed.javadsl.AskPattern.ask(learner,
        (ActorRef<LearnerProtocol.CheckpointSaved> reply) -> new LearnerProtocol.SaveCheckpoint(dir, reply),
        java.time.Duration.ofMinutes(10), getContext().getSystem().scheduler()).toCompletableFuture();
    CompletableFuture<SkillBankProtocol.BankStats> skills = akka.actor.typed.javadsl.AskPattern.ask(bank,
        (ActorRef<SkillBankProtocol.BankStats> reply) -> new SkillBankProtocol.Save(skillsDir, reply),
        java.time.Duration.ofMinutes(1), getContext().getSystem().scheduler()).toCompletableFuture();
    CompletableFuture<SkillBankProtocol.BankStats> latestSkills = skills.thenCompose(s -> akka.actor.typed.javadsl.AskPattern.ask(bank,
        (ActorRef<SkillBankProtocol.BankStats> reply) -> new SkillBankProtocol.Save(runDir.resolve("skills"), reply),
        java.time.Duration.ofMinutes(1), getContext().getSystem().scheduler()).toCompletableFuture());
    getContext().pipeToSelf(weights.thenCombine(latestSkills, (w, s) -> new CheckpointWritten(w, Optional.of(s))),
        (done, error) -> error != null ? new LearnerDied() : done);
  }

  private Behavior<Command> onCheckpointWritten(CheckpointWritten c) {
    c.bank().ifPresent(b -> summary.put("skill_bank", Map.of("skills", b.skills(), "tasks", b.tasks(), "added", b.added())));
    summary.put("last_checkpoint", runDir.relativize(c.saved().dir()).toString());
    LearnerProtocol.CheckpointSaved saved = c.saved();
    new CheckpointState(iteration, saved.version(), nextTask, launched, completed, retried, failed,
        saved.optimizerSteps(), saved.updates(), saved.attemptedSteps(), saved.teacherVersion(), summary).write(saved.dir());
    checkpointIteration = iteration;
    if (phase == Phase.FINISHING) {
      complete(true, "finished");
      return Behaviors.stopped();
    }
    if (stopReason != null) { // the stop's own checkpoint, or a periodic one being written when it was asked
      return stopped();
    }
    continueAfterIteration();
    return this;
  }

  private void finishRun() {
    if (settings.iterations() == 0) { // an evaluation only: nothing to save, the weights are the model it loaded
      complete(true, "finished");
      return;
    }
    phase = Phase.FINISHING;
    writeCheckpoint("final");
  }

  // ---- stopping early ---------------------------------------------------------------------------------

  private Behavior<Command> onStopRequested(CoordinatorProtocol.Stop s) {
    if (s.now() && phase != Phase.DONE) {
      getContext().getLog().warn("stop now requested ({}) in iteration {}: the work in progress is abandoned",
          s.reason(), iteration);
      stopReason = s.reason();
      return stopped();
    }
    if (stopReason != null || phase == Phase.FINISHING || phase == Phase.DONE) {
      getContext().getLog().info("stop requested ({}): the run is already {}", s.reason(),
          stopReason != null ? "stopping" : "finishing");
      return this;
    }
    stopReason = s.reason();
    switch (phase) {
      case EVAL_BEFORE -> {
        getContext().getLog().warn("stop requested ({}) before the first iteration: the run stops, nothing to save",
            s.reason());
        return stopped();
      }
      case TRAIN -> {
        // A checkpoint being written (phase stays TRAIN meanwhile) stops the run when it is done.
        getContext().getLog().warn("stop requested ({}): iteration {} finishes, then a checkpoint and the run stops",
            s.reason(), iteration);
        return this;
      }
      default -> { // EVAL, EVAL_AFTER: the evaluation is abandoned; a resumed run evaluates again
        getContext().getLog().warn("stop requested ({}) during an evaluation: it is abandoned; checkpoint of iteration {}",
            s.reason(), iteration);
        if (checkpointIteration == iteration) {
          return stopped();
        }
        inFlight.clear(); // the evaluation's episodes that still report are dropped
        evalPending.clear();
        writeCheckpoint(iterationCheckpoint());
        return this;
      }
    }
  }

  /** The name of the current iteration's checkpoint (periodic, or a stop's). */
  private String iterationCheckpoint() {
    return String.format("iter-%04d", iteration);
  }

  /** Ends a run stopped on request; the checkpoint of the current iteration, if any, is written. */
  private Behavior<Command> stopped() {
    String message;
    if (settings.iterations() == 0) {
      message = "stopped (" + stopReason + ") during the evaluation, after " + results.size() + " of "
          + evalTasks.size() + " episodes; no result written";
    } else if (checkpointIteration < 0) {
      message = "stopped (" + stopReason + ") before a checkpoint was written; nothing to resume from";
    } else {
      message = "stopped (" + stopReason + "); checkpoint of iteration " + checkpointIteration + " of "
          + settings.iterations() + ": continue with ./skillsd train --resume " + runDir;
    }
    summary.put("stopped", stopReason);
    complete(false, message, Optional.of(stopReason));
    return Behaviors.stopped();
  }

  private Behavior<Command> onComputeDied() {
    if (phase == Phase.DONE) {
      return this;
    }
    getContext().getLog().error("a compute role (learner, policy server or teacher) stopped; the run stops");
    try {
      Path dir = runDir.resolve("checkpoints").resolve("on-failure");
      models.student().save(dir, Map.of());
      summary.put("last_checkpoint", runDir.relativize(dir).toString());
    } catch (RuntimeException e) {
      getContext().getLog().error("could not write the failure checkpoint: {}", e.toString());
    }
    complete(false, "a compute role failed at iteration " + iteration + "; see logs/skillsd.jsonl");
    return Behaviors.stopped();
  }

  private void complete(boolean ok, String message) {
    complete(ok, message, Optional.empty());
  }

  private void complete(boolean ok, String message, Optional<String> stoppedBy) {
    phase = Phase.DONE;
    summary.put("iterations", iteration);
    summary.put("version", models.version());
    summary.put("launched", launched);
    summary.put("completed", completed);
    summary.put("retried", retried);
    summary.put("failed", failed);
    summary.put("seconds", seconds(System.nanoTime() - runStartNanos));
    outcome.complete(new Outcome(ok, message, Map.copyOf(summary), stoppedBy));
  }

  private Behavior<Command> onStop() {
    recorder.close();
    if (!outcome.isDone()) {
      outcome.complete(new Outcome(false, "the coordinator stopped unexpectedly at iteration " + iteration, Map.copyOf(summary)));
    }
    return this;
  }

  // ---- numbers ---------------------------------------------------------------------------------------

  private double reward(EpisodeResult r) {
    return settings.rewardOf(r.trajectory());
  }

  /** Mean of log π_teacher − log π_student over the sampled tokens of skill-scored trajectories. */
  private double teacherGap() {
    double sum = 0;
    long n = 0;
    for (EpisodeResult r : results) {
      float[] t = teacherLogp.get(r.episode().episodeId());
      if (t == null) {
        continue;
      }
      boolean[] sampled = r.transcript().sampled();
      for (int i = 0; i < sampled.length; i++) {
        if (sampled[i]) {
          sum += t[i] - r.logpOld()[i];
          n++;
        }
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  private static long countSampled(EpisodeResult r) {
    long n = 0;
    for (boolean b : r.transcript().sampled()) {
      n += b ? 1 : 0;
    }
    return n;
  }

  private static void putStepMeans(Map<String, Object> line, List<StepDiagnostics> steps) {
    List<StepDiagnostics> applied = steps.stream().filter(s -> !s.skipped()).toList();
    line.put("steps", steps.size());
    line.put("skipped_steps", steps.size() - applied.size());
    if (applied.isEmpty()) {
      return;
    }
    line.put("loss", applied.stream().mapToDouble(StepDiagnostics::loss).average().orElse(0));
    line.put("grpo_loss", applied.stream().mapToDouble(StepDiagnostics::grpoLoss).average().orElse(0));
    line.put("sdl_loss", applied.stream().mapToDouble(StepDiagnostics::distillationLoss).average().orElse(0));
    line.put("clip_fraction", applied.stream().mapToDouble(StepDiagnostics::clipFraction).average().orElse(0));
    line.put("mean_rho", applied.stream().mapToDouble(StepDiagnostics::meanRho).average().orElse(0));
    line.put("max_rho", applied.stream().mapToDouble(StepDiagnostics::maxRho).max().orElse(0));
    line.put("mean_ell", applied.stream().mapToDouble(StepDiagnostics::meanEll).average().orElse(0));
    line.put("grad_norm", applied.stream().mapToDouble(StepDiagnostics::gradNorm).average().orElse(0));
    line.put("learning_rate", applied.get(applied.size() - 1).learningRate());
    line.put("tokens", applied.stream().mapToLong(StepDiagnostics::tokens).sum());
    line.put("distilled_tokens", applied.stream().mapToLong(StepDiagnostics::distilledTokens).sum());
    if (applied.stream().anyMatch(d -> d.maintenanceTokens() > 0)) {
      line.put("maintenance_loss", applied.stream().filter(d -> d.maintenanceTokens() > 0)
          .mapToDouble(StepDiagnostics::maintenanceLoss).average().orElse(0));
      line.put("maintenance_tokens", applied.stream().mapToLong(StepDiagnostics::maintenanceTokens).sum());
    }
    applied.get(applied.size() - 1).entropy().ifPresent(h -> line.put("entropy", h));
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1000.0;
  }

  private static String pct(double x) {
    return String.format("%.1f%%", 100 * x);
  }

  private static String fmt(double x) {
    return String.format("%.4g", x);
  }

  private static String eta(double secondsLeft) {
    long s = Math.round(secondsLeft);
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }
}
