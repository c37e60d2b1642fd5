package io.skillsd.policies.pretrain;

import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanSettings;
import io.skillsd.policies.compute.GradMode;
import io.skillsd.policies.generation.Generation;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import io.skillsd.policies.model.LanguageModel;
import io.skillsd.policies.prompt.ChatFormat;
import io.skillsd.policies.prompt.StudentPrompt;
import io.skillsd.policies.prompt.TeacherPrompt;
import io.skillsd.policies.prompt.Transcript;
import io.skillsd.skills.Skill;
import io.skillsd.skills.analyst.AnalystSummarizer;
import io.skillsd.skills.analyst.SokobanFactExtractor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the base agent's three properties on Sokoban levels: its format rate (well-formed answers per
 * turn), its success without a skill (the student's prompt), and its success with a skill (the teacher's
 * prompt, the skill written by the runtime's analyst from the solver's trajectory of the same level). Episodes
 * are played as the episode runner plays them — the same prompts, {@link ChatFormat#observe} between turns,
 * the reply's text without its end-of-turn token — all levels in one batch per turn.
 */
public final class BaseAgentEvaluation {

  /**
   * What one evaluation measured.
   *
   * @param levels levels played in each condition
   * @param temperature sampling temperature (0 = greedy)
   * @param turns turns played, both conditions together
   * @param wellFormedTurns turns whose answer parsed without problem
   * @param solvedWithout levels solved from the student's prompt
   * @param solvedWith levels solved from the teacher's prompt with the skill
   */
  public record Result(int levels, double temperature, int turns, int wellFormedTurns, int solvedWithout,
      int solvedWith) {

    public double formatRate() {
      return turns == 0 ? 0 : (double) wellFormedTurns / turns;
    }

    public double successWithout() {
      return levels == 0 ? 0 : (double) solvedWithout / levels;
    }

    public double successWith() {
      return levels == 0 ? 0 : (double) solvedWith / levels;
    }

    /** Success with the skill minus success without, in percentage points. */
    public double teacherAdvantagePoints() {
      return 100 * (successWith() - successWithout());
    }

    public String describe() {
      return String.format(Locale.ROOT, "%d levels, temperature %.1f: format %.1f%% (%d/%d turns), success "
              + "without skill %.1f%% (%d), with skill %.1f%% (%d), teacher advantage %+.1f points",
          levels, temperature, 100 * formatRate(), wellFormedTurns, turns, 100 * successWithout(), solvedWithout,
          100 * successWith(), solvedWith, teacherAdvantagePoints());
    }
  }

  /**
   * What the measurement with failure skills found: on the levels the model failed from the student's prompt,
   * the same model again from the teacher's prompt with the skill the analyst writes from that failed
   * attempt — the skill a Skill-SD run's bank holds for a level its student has not solved yet.
   *
   * @param levels levels played from the student's prompt
   * @param failed of those, the levels it did not solve (each replayed with its failure's skill)
   * @param turns turns played under the failure skills
   * @param wellFormedTurns of those, turns whose answer parsed without problem
   * @param solved failed levels solved under their failure's skill
   */
  public record FailureSkillResult(int levels, double temperature, int failed, int turns, int wellFormedTurns,
      int solved) {

    public double formatRate() {
      return turns == 0 ? 0 : (double) wellFormedTurns / turns;
    }

    public String describe() {
      return String.format(Locale.ROOT, "%d levels, temperature %.1f: failed without skill %d; with the skill of "
              + "its own failed attempt: format %.1f%% (%d/%d turns), solved %d of the %d (%.1f%%)",
          levels, temperature, failed, 100 * formatRate(), wellFormedTurns, turns, solved, failed,
          failed == 0 ? 0.0 : 100.0 * solved / failed);
    }
  }

  /**
   * What the measurement with similar levels' skills found: each held-out level that shares its {@linkplain
   * Level#relativeLayout() layout} with a training level, played from the student's prompt and from the
   * teacher's prompt with the skill the analyst writes from the solver's trajectory of the first such training
   * level — the skill {@code skillsd.train.skill-retrieval = similar} gives a level's teacher.
   *
   * @param levels held-out levels considered
   * @param trainLevels training levels the skills come from
   * @param covered held-out levels that share a layout with a training level (the ones played)
   * @param solvedWithout covered levels solved from the student's prompt
   * @param solvedWith covered levels solved with the similar level's skill
   * @param turns turns played under the skills
   * @param wellFormedTurns of those, turns whose answer parsed without problem
   */
  public record SimilarSkillResult(int levels, double temperature, int trainLevels, int covered, int solvedWithout,
      int solvedWith, int turns, int wellFormedTurns) {

    public double formatRate() {
      return turns == 0 ? 0 : (double) wellFormedTurns / turns;
    }

    /** Success with the similar level's skill minus success without, on the covered levels, in points. */
    public double teacherAdvantagePoints() {
      return covered == 0 ? 0 : 100.0 * (solvedWith - solvedWithout) / covered;
    }

    public String describe() {
      return String.format(Locale.ROOT, "%d levels, temperature %.1f: %d share a layout with one of %d training "
              + "levels; on those, without skill %.1f%% (%d), with the skill of a training level of the same layout "
              + "%.1f%% (%d; format %.1f%%), teacher advantage %+.1f points", levels, temperature, covered, trainLevels,
          share(solvedWithout), solvedWithout, share(solvedWith), solvedWith, 100 * formatRate(),
          teacherAdvantagePoints());
    }

    private double share(int n) {
      return covered == 0 ? 0 : 100.0 * n / covered;
    }
  }

  /** One episode in play. */
  private static final class Play {
    final int index;
    final Task task;
    final SokobanEnvironment env;
    final boolean withSkill;
    final String firstObservation;
    final List<Trajectory.Turn> turns = new ArrayList<>();
    int wellFormed;
    Transcript transcript;
    boolean done;

    Play(int index, Task task, SokobanEnvironment env, boolean withSkill, String firstObservation, Transcript transcript) {
      this.index = index;
      this.task = task;
      this.env = env;
      this.withSkill = withSkill;
      this.firstObservation = firstObservation;
      this.transcript = transcript;
    }

    Trajectory trajectory() {
      return new Trajectory(env.name(), task, env.instructions(), firstObservation, turns, env.metrics());
    }
  }

  /** Episodes per generation batch: bounds the prefill's attention memory. */
  private static final int BATCH = 16;

  private BaseAgentEvaluation() {}

  /**
   * Plays every task twice, without and with a skill.
   *
   * @param maxNewTokens the reply cap (the runtime's {@code max-new-tokens})
   * @param seed seeds sampling (unused when greedy)
   */
  public static Result run(LanguageModel model, SokobanSettings settings, List<Task> tasks, float temperature,
      int maxNewTokens, long seed) {
    GradMode.offOnThisThread();
    ChatFormat format = model.format();
    AnalystSummarizer analyst = PretrainData.analyst();
    int budget = Math.min(settings.maxActions(), settings.maxSteps());
    List<Play> plays = new ArrayList<>();
    for (Task task : tasks) {
      plays.add(student(plays.size(), format, settings, task));
      SokobanEnvironment solverEnv = new SokobanEnvironment(settings);
      String first = solverEnv.reset(task);
      Trajectory solver = PretrainData.play(solverEnv, task, SokobanPlans.optimal(Level.parse(first), budget));
      plays.add(teacher(plays.size(), format, settings, task, PretrainData.summarize(analyst, solver)));
    }
    playAll(model, settings, plays, temperature, maxNewTokens, seed);
    int without = 0;
    int with = 0;
    for (Play p : plays) {
      if (p.env.metrics().success()) {
        if (p.withSkill) {
          with++;
        } else {
          without++;
        }
      }
    }
    return new Result(tasks.size(), temperature, plays.stream().mapToInt(p -> p.turns.size()).sum(),
        plays.stream().mapToInt(p -> p.wellFormed).sum(), without, with);
  }

  /**
   * Plays every task from the student's prompt, then each failed one again from the teacher's prompt with the
   * analyst's skill of that failed attempt (see {@link FailureSkillResult}); with {@code solveFailures} the
   * analyst corrects each failure with a solution found by search ({@link SokobanFactExtractor}).
   */
  public static FailureSkillResult withFailureSkills(LanguageModel model, SokobanSettings settings, List<Task> tasks,
      float temperature, int maxNewTokens, long seed, boolean solveFailures) {
    GradMode.offOnThisThread();
    ChatFormat format = model.format();
    List<Play> students = new ArrayList<>();
    for (Task task : tasks) {
      students.add(student(2 * students.size(), format, settings, task));
    }
    playAll(model, settings, students, temperature, maxNewTokens, seed);
    AnalystSummarizer analyst = PretrainData.analyst(solveFailures);
    List<Play> teachers = new ArrayList<>();
    for (Play s : students) {
      if (!s.env.metrics().success()) {
        teachers.add(teacher(s.index + 1, format, settings, s.task, PretrainData.summarize(analyst, s.trajectory())));
      }
    }
    playAll(model, settings, teachers, temperature, maxNewTokens, seed);
    return new FailureSkillResult(tasks.size(), temperature, teachers.size(),
        teachers.stream().mapToInt(p -> p.turns.size()).sum(), teachers.stream().mapToInt(p -> p.wellFormed).sum(),
        (int) teachers.stream().filter(p -> p.env.metrics().success()).count());
  }

  /**
   * Plays each task that shares its layout with one of {@code train} from the student's prompt and from the
   * teacher's prompt under the analyst's skill of the solver's trajectory of the first training level with that
   * layout (see {@link SimilarSkillResult}).
   */
  public static SimilarSkillResult withSimilarSkills(LanguageModel model, SokobanSettings settings, List<Task> tasks,
      List<Task> train, float temperature, int maxNewTokens, long seed) {
    GradMode.offOnThisThread();
    ChatFormat format = model.format();
    AnalystSummarizer analyst = PretrainData.analyst();
    int budget = Math.min(settings.maxActions(), settings.maxSteps());
    java.util.Map<String, Task> firstOfLayout = new java.util.HashMap<>();
    SokobanEnvironment probe = new SokobanEnvironment(settings);
    for (Task t : train) {
      firstOfLayout.putIfAbsent(probe.similarityKey(t).orElseThrow(), t);
    }
    java.util.Map<Task, Skill> skills = new java.util.HashMap<>();
    List<Play> students = new ArrayList<>();
    List<Play> teachers = new ArrayList<>();
    for (Task task : tasks) {
      Task twin = firstOfLayout.get(probe.similarityKey(task).orElseThrow());
      if (twin == null) {
        continue;
      }
      Skill skill = skills.computeIfAbsent(twin, t -> {
        SokobanEnvironment solverEnv = new SokobanEnvironment(settings);
        String first = solverEnv.reset(t);
        return PretrainData.summarize(analyst, PretrainData.play(solverEnv, t, SokobanPlans.optimal(Level.parse(first), budget)));
      });
      int index = 2 * students.size();
      students.add(student(index, format, settings, task));
      teachers.add(teacher(index + 1, format, settings, task, skill));
    }
    List<Play> all = new ArrayList<>(students);
    all.addAll(teachers);
    playAll(model, settings, all, temperature, maxNewTokens, seed);
    return new SimilarSkillResult(tasks.size(), temperature, train.size(), students.size(),
        (int) students.stream().filter(p -> p.env.metrics().success()).count(),
        (int) teachers.stream().filter(p -> p.env.metrics().success()).count(),
        teachers.stream().mapToInt(p -> p.turns.size()).sum(), teachers.stream().mapToInt(p -> p.wellFormed).sum());
  }

  private static Play student(int index, ChatFormat format, SokobanSettings settings, Task task) {
    SokobanEnvironment env = new SokobanEnvironment(settings);
    String first = env.reset(task);
    return new Play(index, task, env, false, first, format.open(new StudentPrompt(env.instructions(), first)));
  }

  private static Play teacher(int index, ChatFormat format, SokobanSettings settings, Task task, Skill skill) {
    SokobanEnvironment env = new SokobanEnvironment(settings);
    String first = env.reset(task);
    return new Play(index, task, env, true, first,
        format.open(new TeacherPrompt(env.instructions(), first, format.style().render(skill))));
  }

  /** Plays {@code plays} to their ends, all open ones in batches per turn. */
  private static void playAll(LanguageModel model, SokobanSettings settings, List<Play> plays, float temperature,
      int maxNewTokens, long seed) {
    ChatFormat format = model.format();
    int end = format.endOfTurnId();
    Generator generator = new Generator(model.model());
    for (int turn = 1; turn <= settings.maxTurns(); turn++) {
      List<Play> open = plays.stream().filter(p -> !p.done).toList();
      if (open.isEmpty()) {
        break;
      }
      // Batches of similar length: prompts are left-padded to the longest of their batch.
      List<Play> byLength = new ArrayList<>(open);
      byLength.sort(java.util.Comparator.comparingInt(p -> p.transcript.length()));
      List<Generation> out = new ArrayList<>();
      for (int from = 0; from < byLength.size(); from += BATCH) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (Play p : byLength.subList(from, Math.min(byLength.size(), from + BATCH))) {
          requests.add(new GenerationRequest(p.transcript.tokens(), new SamplingParams(temperature, 1f,
              maxNewTokens, format.stopTokens(), seed * 1_000_003L + p.index * 101L + turn)));
        }
        out.addAll(generator.generate(requests));
      }
      for (int i = 0; i < byLength.size(); i++) {
        Play p = byLength.get(i);
        int[] sampled = out.get(i).tokens();
        int textLength = sampled.length > 0 && sampled[sampled.length - 1] == end ? sampled.length - 1 : sampled.length;
        String text = format.tokenizer().decode(Arrays.copyOf(sampled, textLength));
        StepResult r = p.env.step(text);
        p.turns.add(new Trajectory.Turn(text, r));
        p.wellFormed += r.actionValid() ? 1 : 0;
        p.transcript = p.transcript.appendSampled(sampled);
        p.done = r.done();
        if (!p.done) {
          p.transcript = format.observe(p.transcript, r.observation());
        }
      }
    }
  }
}
