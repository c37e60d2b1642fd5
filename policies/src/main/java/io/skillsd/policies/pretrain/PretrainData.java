package io.skillsd.policies.pretrain;

import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.SokobanAnswer;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanSettings;
import io.skillsd.policies.prompt.ChatFormat;
import io.skillsd.policies.prompt.StudentPrompt;
import io.skillsd.policies.prompt.TeacherPrompt;
import io.skillsd.policies.prompt.Transcript;
import io.skillsd.skills.Skill;
import io.skillsd.skills.SkillJson;
import io.skillsd.skills.analyst.AnalystSummarizer;
import io.skillsd.skills.analyst.SokobanFactExtractor;
import io.skillsd.skills.summarizer.SummaryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The supervised data of the base agent: whole Sokoban episodes written as the runtime writes them, with the
 * loss on the answers only.
 *
 * <p>Half the examples are teacher episodes: the prompt is {@code new TeacherPrompt(instructions,
 * firstObservation, format.style().render(skill))} — what the coordinator gives the teacher, in the model's
 * {@link io.skillsd.policies.prompt.PromptStyle} — where the skill is the analyst's
 * ({@link AnalystSummarizer} with {@link SokobanFactExtractor}, as the runtime configures it) summary of the very
 * episode being taught; the answers replay that episode's plan: the optimal plan 70% of the time, a solving
 * detour 30% (optimal when no detour is found). The other half are student episodes: {@code new
 * StudentPrompt(instructions, firstObservation)} — what the episode runner opens with — followed by a noisy
 * plan: 15% optimal, 15% detour, 40% corrupted, 30% random (see {@link SokobanPlans}).
 *
 * <p>Multi-turn: a plan is cut into answers of at most the per-turn limit ({@code <answer>A || B</answer>}, RAGEN:
 * 5 actions). Each answer is followed by {@code <|im_end|>} and, while the episode goes on, by the environment's
 * real next observation appended with {@link ChatFormat#observe}, exactly as the episode runner does; the
 * example stops when the episode ends or the plan is spent — or, with {@code fillToEnd}, a student episode
 * left open goes on with answers of 1 to 5 random moves until the environment ends it, so the turns after a
 * failed attempt are covered too. So a 7-move plan is one two-turn example whose
 * second answer holds the last 2 moves, after the observation that says 5 actions are left.
 */
public final class PretrainData {

  /** What an example teaches. */
  public enum Kind {
    TEACHER_OPTIMAL,
    TEACHER_DETOUR,
    TEACHER_WANDERING,
    STUDENT_OPTIMAL,
    STUDENT_DETOUR,
    STUDENT_CORRUPTED,
    STUDENT_RANDOM;

    public boolean teacher() {
      return this == TEACHER_OPTIMAL || this == TEACHER_DETOUR || this == TEACHER_WANDERING;
    }
  }

  /**
   * One example.
   *
   * @param kind what it teaches
   * @param taskId the level
   * @param transcript the tokens; {@link Transcript#sampled()} marks the answer tokens (the loss mask)
   */
  public record Example(Kind kind, String taskId, Transcript transcript) {
    public Example {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(transcript, "transcript");
    }
  }

  private final SokobanSettings settings;
  private final SokobanEnvironment env;
  private final ChatFormat format;
  private final AnalystSummarizer analyst;
  private final List<Task> tasks;
  private final boolean fillToEnd;
  private final double teacherShare;
  private final double teacherWanderShare;

  /** Examples on the training levels of {@code settings}; student episodes stop when their plan is spent. */
  public PretrainData(SokobanSettings settings, ChatFormat format) {
    this(settings, format, false);
  }

  /**
   * Examples on the training levels of {@code settings}.
   *
   * @param fillToEnd whether a student episode still open when its plan is spent goes on with answers of 1 to
   *     5 random moves until the environment ends it, so later turns of failed episodes are covered too
   */
  public PretrainData(SokobanSettings settings, ChatFormat format, boolean fillToEnd) {
    this(settings, format, fillToEnd, 0.5);
  }

  /**
   * Examples on the training levels of {@code settings}, a share {@code teacherShare} of them teacher episodes.
   *
   * @param fillToEnd as above
   * @param teacherShare the fraction of teacher episodes, in (0, 1); the recipe's first stages use one half
   */
  public PretrainData(SokobanSettings settings, ChatFormat format, boolean fillToEnd, double teacherShare) {
    this(settings, format, fillToEnd, teacherShare, 0);
  }

  /**
   * Examples on the training levels of {@code settings}, a share {@code teacherShare} of them teacher episodes, a
   * share {@code teacherWanderShare} of those replaying a {@link SokobanPlans#wandering} plan.
   *
   * @param teacherWanderShare in [0, 1); 0 draws exactly the random stream of the first stages' data
   */
  public PretrainData(SokobanSettings settings, ChatFormat format, boolean fillToEnd, double teacherShare,
      double teacherWanderShare) {
    if (!(teacherWanderShare >= 0 && teacherWanderShare < 1)) {
      throw new IllegalArgumentException("teacher wander share must be in [0, 1), was " + teacherWanderShare);
    }
    this.teacherWanderShare = teacherWanderShare;
    if (!(teacherShare > 0 && teacherShare < 1)) {
      throw new IllegalArgumentException("teacher share must be in (0, 1), was " + teacherShare);
    }
    this.teacherShare = teacherShare;
    this.fillToEnd = fillToEnd;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.env = new SokobanEnvironment(settings);
    this.format = Objects.requireNonNull(format, "format");
    this.analyst = analyst();
    this.tasks = env.tasks().train();
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("the '" + settings.preset() + "' settings have no training levels");
    }
  }

  /** The analyst the runtime uses for Sokoban: {@link SokobanFactExtractor}, default field cap. */
  public static AnalystSummarizer analyst() {
    return analyst(false);
  }

  /** As {@link #analyst()}; with {@code solveFailures} a failure's skill carries a solution found by search. */
  public static AnalystSummarizer analyst(boolean solveFailures) {
    return new AnalystSummarizer(Map.of(SokobanEnvironment.NAME, new SokobanFactExtractor(solveFailures)),
        SkillJson.DEFAULT_MAX_FIELD_CHARS);
  }

  /** The next example, drawn with {@code rng}. */
  public Example next(SplittableRandom rng) {
    Task task = tasks.get(rng.nextInt(tasks.size()));
    Level level = Level.parse(env.reset(task));
    int budget = Math.min(settings.maxActions(), settings.maxSteps());
    List<Direction> optimal = SokobanPlans.optimal(level, budget);
    double u = rng.nextDouble();
    boolean teacher = teacherShare == 0.5 ? rng.nextBoolean() : rng.nextDouble() < teacherShare;
    if (teacher) {
      Kind kind = Kind.TEACHER_OPTIMAL;
      List<Direction> plan = optimal;
      var wandering = teacherWanderShare > 0 && rng.nextDouble() < teacherWanderShare
          ? SokobanPlans.wandering(level, budget, rng) : java.util.Optional.<List<Direction>>empty();
      if (wandering.isPresent()) {
        kind = Kind.TEACHER_WANDERING;
        plan = wandering.get();
      } else if (u < 0.3) {
        var detour = SokobanPlans.detour(level, budget, rng);
        if (detour.isPresent()) {
          kind = Kind.TEACHER_DETOUR;
          plan = detour.get();
        }
      }
      Trajectory t = play(env, task, plan);
      Skill skill = summarize(analyst, t);
      Transcript opening = format.open(new TeacherPrompt(t.instructions(), t.firstObservation(), format.style().render(skill)));
      return new Example(kind, task.id(), transcript(format, opening, t));
    }
    Kind kind;
    List<Direction> plan;
    if (u < 0.15) {
      kind = Kind.STUDENT_OPTIMAL;
      plan = optimal;
    } else if (u < 0.30) {
      var detour = SokobanPlans.detour(level, budget, rng);
      kind = detour.isPresent() ? Kind.STUDENT_DETOUR : Kind.STUDENT_OPTIMAL;
      plan = detour.orElse(optimal);
    } else if (u < 0.70) {
      kind = Kind.STUDENT_CORRUPTED;
      plan = SokobanPlans.corrupted(optimal, budget, rng);
    } else {
      kind = Kind.STUDENT_RANDOM;
      plan = SokobanPlans.random(budget, rng);
    }
    Trajectory t = fillToEnd ? playToEnd(env, task, plan, rng) : play(env, task, plan);
    Transcript opening = format.open(new StudentPrompt(t.instructions(), t.firstObservation()));
    return new Example(kind, task.id(), transcript(format, opening, t));
  }

  /**
   * Plays {@code plan} on {@code task}, as many moves per answer as a turn allows, until the episode ends or
   * the plan is spent.
   */
  public static Trajectory play(SokobanEnvironment env, Task task, List<Direction> plan) {
    String first = env.reset(task);
    int perTurn = env.settings().maxActionsPerTurn();
    List<Trajectory.Turn> turns = new ArrayList<>();
    for (int from = 0; from < plan.size() && turns.size() < env.settings().maxTurns(); from += perTurn) {
      String answer = SokobanAnswer.format(plan.subList(from, Math.min(plan.size(), from + perTurn)));
      StepResult r = env.step(answer);
      turns.add(new Trajectory.Turn(answer, r));
      if (r.done()) {
        break;
      }
    }
    return new Trajectory(env.name(), task, env.instructions(), first, turns, env.metrics());
  }

  /** As {@link #play}, then answers of 1 to 5 random moves until the episode ends. */
  static Trajectory playToEnd(SokobanEnvironment env, Task task, List<Direction> plan, SplittableRandom rng) {
    Trajectory t = play(env, task, plan);
    if (env.done()) {
      return t;
    }
    List<Trajectory.Turn> turns = new ArrayList<>(t.turns());
    int perTurn = env.settings().maxActionsPerTurn();
    while (!env.done()) {
      String answer = SokobanAnswer.format(SokobanPlans.random(perTurn, rng));
      turns.add(new Trajectory.Turn(answer, env.step(answer)));
    }
    return new Trajectory(env.name(), task, env.instructions(), t.firstObservation(), turns, env.metrics());
  }

  /** The analyst's skill for a trajectory. */
  public static Skill summarize(AnalystSummarizer analyst, Trajectory t) {
    return analyst.summarize(t, new SummaryContext("pretrain/" + t.task().id(), 0, t.metrics().completion()))
        .join().orElseThrow();
  }

  /**
   * The dialogue of {@code t} after {@code opening}: each answer's tokens and the end-of-turn token as sampled
   * tokens, each next observation as prompt tokens.
   */
  public static Transcript transcript(ChatFormat format, Transcript opening, Trajectory t) {
    Transcript x = opening;
    int end = format.endOfTurnId();
    for (int i = 0; i < t.turns().size(); i++) {
      int[] answer = format.tokenizer().encode(t.turns().get(i).actionText());
      int[] withEnd = java.util.Arrays.copyOf(answer, answer.length + 1);
      withEnd[answer.length] = end;
      x = x.appendSampled(withEnd);
      if (i + 1 < t.turns().size()) {
        x = format.observe(x, t.turns().get(i).result().observation());
      }
    }
    return x;
  }
}
