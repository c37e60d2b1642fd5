package io.skillsd.actors.train;

import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.settings.SettingsException;
import io.skillsd.actors.settings.SettingsReader;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.environments.Trajectory;
import io.skillsd.policies.objectives.Algorithm;
import io.skillsd.policies.objectives.ObjectiveSettings;
import io.skillsd.policies.objectives.TeacherSync;
import io.skillsd.policies.optim.LearningRateSchedule;
import io.skillsd.policies.optim.UpdateSettings;

/**
 * What a training run does ({@code skillsd.train} and {@code skillsd.policy}); every key is documented in
 * the actors module's {@code reference.conf}.
 */
public record TrainSettings(
    int iterations,
    int tasksPerIteration,
    int groupSize,
    Reward reward,
    double formatPenalty,
    ObjectiveSettings objective,
    UpdateSettings update,
    double maintenanceWeight,
    Maintenance maintenance,
    TeacherSkill teacherSkill,
    SkillSources skillSources,
    SkillRetrieval skillRetrieval,
    float temperature,
    float topP,
    int maxNewTokens,
    int maxTurns,
    int evalEvery,
    int evalEpisodes,
    int evalConcurrency,
    float evalTemperature,
    EvalSplit evalSplit,
    int checkpointEvery,
    int maxStaleness,
    int episodeRetries,
    boolean recordTokenLogProbs,
    boolean deterministic,
    boolean teacherRollouts,
    int maxBatch,
    PolicyServerActor.Batching batching,
    int prefixCacheMinTokens,
    String model,
    long modelSeed) {

  /** What the learner treats as an episode's reward. */
  public enum Reward {
    /** Task completion in [0, 1] (Sokoban: boxes on targets; MiniAppWorld: passed checks). The default. */
    COMPLETION,
    /** Success as 0 or 1. */
    SUCCESS,
    /** The environment's summed step rewards (shaped; can make GRPO prefer short failures). */
    RETURN,
    /**
     * Task completion less {@code format-penalty} for each turn whose answer the environment did not accept
     * as given ({@code actionValid} false): a malformed answer then costs reward even where a lenient parser
     * still plays its actions.
     */
    COMPLETION_FORMAT
  }

  /** Which of the environment's task splits evaluations play. */
  public enum EvalSplit {
    /** The held-out tasks (the default). */
    TEST,
    /** The training tasks. */
    TRAIN;

    /** The name in settings and metrics: {@code test} or {@code train}. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether the run keeps the initial weights θ₀ (the maintenance term's KL to them is on). */
  public boolean keepsInitialWeights() {
    return maintenanceWeight > 0 && maintenance == Maintenance.KL_INITIAL;
  }

  /** What the skill-conditioned maintenance term asks of θ on the replayed successes. */
  public enum Maintenance {
    /** Their tokens' negative log-likelihood: imitate the replayed samples. */
    NLL,
    /**
     * The KL from the initial model θ₀ at their positions, over the whole vocabulary: keep θ₀'s
     * skill-conditioned distribution there (θ₀ is kept as a third model and saved with checkpoints).
     */
    KL_INITIAL
  }

  /** Which skill the teacher scores a group's trajectories under. */
  public enum TeacherSkill {
    /** The skill the bank selected for the task (UCB) before the rollouts: the paper. */
    BANK,
    /**
     * A skill summarized from the group's own first success, for every member (a group without a success
     * falls back to its bank skill): the group's success shared with its failing members.
     */
    GROUP_SUCCESS
  }

  /** Which finished training episodes become skills. */
  public enum SkillSources {
    /** Every one, success or failure (the paper: success and mistake analyses). */
    ALL,
    /** Only the solved ones: every skill in the bank describes a solution. */
    SUCCESSES;

    /** Whether an episode that ended with {@code success} is summarized. */
    public boolean accepts(boolean success) {
      return this == ALL || success;
    }
  }

  /** Where a task's teacher skill is chosen from. */
  public enum SkillRetrieval {
    /** The task's own buffer: skills from earlier episodes of the same task (the paper). */
    TASK,
    /**
     * The buffer shared by every task with the same {@code Environment.similarityKey} (Sokoban: the same
     * layout of boxes and targets around the player): a skill learned on one task guides its look-alikes,
     * including tasks the student has not solved yet.
     */
    SIMILAR
  }

  /** Who samples the rollouts. */
  enum Rollouts {
    /** The student θ, on its own prompt: on-policy (the paper's method). */
    STUDENT,
    /** The teacher θ̄ with the skill in its prompt: the off-policy ablation the paper reports collapsing. */
    TEACHER
  }

  /** Which teacher sync the objective uses. */
  enum Sync {
    DYNAMIC,
    FROZEN,
    EMA
  }

  public static TrainSettings from(SkillsdSettings settings) {
    SettingsReader r = new SettingsReader(settings.config(), "skillsd.train");
    SettingsReader p = new SettingsReader(settings.config(), "skillsd.policy");
    Algorithm algorithm = r.enumValue("algorithm", Algorithm.class);
    ObjectiveSettings objective = switch (algorithm) {
      case SKILL_SD -> ObjectiveSettings.skillSd();
      case GRPO -> ObjectiveSettings.grpo();
      case OPD -> ObjectiveSettings.opd();
      case SKILL_AUGMENTED_GRPO -> ObjectiveSettings.skillAugmentedGrpo();
    };
    if (algorithm.usesDistillation()) {
      objective = objective.withLambda(r.doubleIn("lambda", 0.0, 1000.0));
    }
    objective = objective.withClip(r.doubleIn("clip-low", 0.0, 1.0), r.doubleIn("clip-high", 0.0, 10.0));
    double ellClip = r.doubleIn("ell-clip", 0.0, 1e6);
    if (ellClip > 0) {
      objective = objective.withEllClip(ellClip);
    }
    if (r.bool("naive-k3")) {
      objective = objective.withNaiveK3();
    }
    TeacherSync sync = switch (r.enumValue("teacher-sync", Sync.class)) {
      case DYNAMIC -> new TeacherSync.Dynamic(r.intIn("teacher-sync-interval", 1, 1_000_000));
      case FROZEN -> new TeacherSync.Frozen();
      case EMA -> new TeacherSync.Ema(r.doubleIn("teacher-ema-tau", 0.0, 1.0));
    };
    objective = objective.withTeacherSync(sync);

    int groupSize = r.intIn("group-size", 2, 4096);
    int tasks = r.intIn("tasks-per-iteration", 1, 4096);
    long warmup = r.intIn("warmup-steps", 0, 1_000_000);
    UpdateSettings update = UpdateSettings.defaults()
        .withLearningRate(LearningRateSchedule.constant(r.doubleIn("learning-rate", 0.0, 1.0), warmup))
        .withMinibatches(r.intIn("epochs", 1, 100), r.intIn("minibatch-size", 1, 65_536))
        .withMaxGradNorm(r.doubleIn("max-grad-norm", 0.0, 1e9))
        .withMaxConsecutiveNonFinite(r.intIn("max-consecutive-nonfinite", 1, 1000))
        .withMicrobatchBytes(r.bytes("microbatch-memory"))
        .withShuffleSeed(settings.run().seed());
    double maintenanceWeight = r.doubleIn("maintenance-weight", 0.0, 1000.0);
    if (maintenanceWeight > 0 && !algorithm.usesDistillation()) {
      throw new SettingsException(r.key("maintenance-weight"), String.valueOf(maintenanceWeight),
          "replays successes under the teacher's prompt, so it needs a teacher: algorithm skill-sd or opd (was "
              + r.string("algorithm") + ")");
    }
    Maintenance maintenance = r.enumValue("maintenance", Maintenance.class);
    TeacherSkill teacherSkill = r.enumValue("teacher-skill", TeacherSkill.class);
    if (teacherSkill != TeacherSkill.BANK && !algorithm.usesDistillation()) {
      throw new SettingsException(r.key("teacher-skill"), r.string("teacher-skill"),
          "chooses the teacher's skill, so it needs a teacher: algorithm skill-sd or opd (was "
              + r.string("algorithm") + ")");
    }
    String model = p.nonBlank("model");
    if (!model.startsWith("builtin:")
        && !java.nio.file.Files.isDirectory(io.skillsd.actors.policy.TrainingModels.checkpointPath(model))) {
      throw new SettingsException(p.key("model"), "\"" + model + "\"",
          "must be builtin:tiny, builtin:base, builtin:small10m or a checkpoint directory");
    }
    return new TrainSettings(
        r.intIn("iterations", 0, 10_000_000),
        tasks,
        groupSize,
        r.enumValue("reward", Reward.class),
        r.doubleIn("format-penalty", 0.0, 1000.0),
        objective,
        update,
        maintenanceWeight,
        maintenance,
        teacherSkill,
        r.enumValue("skill-sources", SkillSources.class),
        r.enumValue("skill-retrieval", SkillRetrieval.class),
        (float) r.doubleIn("temperature", 0.0, 10.0),
        (float) r.doubleIn("top-p", 0.0, 1.0),
        r.intIn("max-new-tokens", 1, 65_536),
        r.intIn("max-turns", 0, 10_000),
        r.intIn("eval-every", 0, 10_000_000),
        r.intIn("eval-episodes", 0, 1_000_000),
        r.intIn("eval-concurrency", 1, 1_000_000),
        (float) r.doubleIn("eval-temperature", 0.0, 10.0),
        r.enumValue("eval-split", EvalSplit.class),
        r.intIn("checkpoint-every", 0, 10_000_000),
        r.intIn("max-staleness", 0, 1000),
        r.intIn("episode-retries", 0, 100),
        r.bool("record-token-logprobs"),
        r.bool("deterministic"),
        r.enumValue("rollouts", Rollouts.class) == Rollouts.TEACHER,
        r.intIn("max-batch", 1, 65_536),
        r.enumValue("batching", PolicyServerActor.Batching.class),
        r.intIn("prefix-cache-min-tokens", 0, 1_000_000),
        model,
        p.longValue("init-seed"));
  }

  /** What the learner takes as a finished episode's reward under {@link #reward()}. */
  public double rewardOf(Trajectory t) {
    return switch (reward) {
      case COMPLETION -> t.metrics().completion();
      case SUCCESS -> t.metrics().success() ? 1.0 : 0.0;
      case RETURN -> t.totalReward();
      case COMPLETION_FORMAT -> t.metrics().completion()
          - formatPenalty * t.turns().stream().filter(turn -> !turn.result().actionValid()).count();
    };
  }

  public int episodesPerIteration() {
    return tasksPerIteration * groupSize;
  }
}
