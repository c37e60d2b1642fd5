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

  /** One episode in play. */
  private static final class Play {
    final int index;
    final SokobanEnvironment env;
    final boolean withSkill;
    Transcript transcript;
    boolean done;

    Play(int index, SokobanEnvironment env, boolean withSkill, Transcript transcript) {
      this.index = index;
      this.env = env;
      this.withSkill = withSkill;
      this.transcript = transcript;
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
      SokobanEnvironment env = new SokobanEnvironment(settings);
      String first = env.reset(task);
      plays.add(new Play(plays.size(), env, false, format.open(new StudentPrompt(env.instructions(), first))));
      SokobanEnvironment solverEnv = new SokobanEnvironment(settings);
      Trajectory solver = PretrainData.play(solverEnv, task, SokobanPlans.optimal(Level.parse(first), budget));
      Skill skill = PretrainData.summarize(analyst, solver);
      SokobanEnvironment teacherEnv = new SokobanEnvironment(settings);
      String again = teacherEnv.reset(task);
      plays.add(new Play(plays.size(), teacherEnv, true,
          format.open(new TeacherPrompt(teacherEnv.instructions(), again, format.style().render(skill)))));
    }
    int turns = 0;
    int wellFormed = 0;
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
        turns++;
        wellFormed += r.actionValid() ? 1 : 0;
        p.transcript = p.transcript.appendSampled(sampled);
        p.done = r.done();
        if (!p.done) {
          p.transcript = format.observe(p.transcript, r.observation());
        }
      }
    }
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
    return new Result(tasks.size(), temperature, turns, wellFormed, without, with);
  }
}
