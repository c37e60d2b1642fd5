package io.skillsd.policies.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.skillsd.policies.tokenizer.ChatTemplate;
import io.skillsd.policies.tokenizer.WordTokenizer;
import io.skillsd.skills.Skill;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PretrainDataTest {

  private static final ChatFormat FORMAT = new ChatFormat(new WordTokenizer(), new ChatTemplate.Plain());

  /** The texts of the sampled spans of a transcript, in order. */
  private static List<String> answers(Transcript t) {
    int[] tok = t.tokens();
    boolean[] s = t.sampled();
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < tok.length) {
      if (!s[i]) {
        i++;
        continue;
      }
      int j = i;
      while (j < tok.length && s[j]) {
        j++;
      }
      out.add(FORMAT.tokenizer().decode(Arrays.copyOfRange(tok, i, j)));
      i = j;
    }
    return out;
  }

  @Test
  void aLongPlanIsTwoTurnsWithTheRealObservationBetween() {
    SokobanSettings settings = SokobanSettings.ragen();
    SokobanEnvironment env = new SokobanEnvironment(settings);
    Task task = env.tasks().train().stream()
        .filter(t -> SokobanPlans.optimal(Level.parse(env.reset(t)), 10).size() == 7).findFirst().orElseThrow();
    List<Direction> plan = SokobanPlans.optimal(Level.parse(env.reset(task)), 10);
    Trajectory t = PretrainData.play(env, task, plan);
    assertTrue(t.metrics().success());
    assertEquals(2, t.turns().size());

    Transcript opening = FORMAT.open(new StudentPrompt(t.instructions(), t.firstObservation()));
    Transcript x = PretrainData.transcript(FORMAT, opening, t);
    assertEquals(List.of(SokobanAnswer.format(plan.subList(0, 5)) + "<|im_end|>",
        SokobanAnswer.format(plan.subList(5, 7)) + "<|im_end|>"), answers(x));
    // What the episode runner builds: opening, answer, observe(next observation), answer.
    Transcript expected = opening.appendSampled(FORMAT.tokenizer().encode(t.turns().get(0).actionText() + "<|im_end|>"));
    expected = FORMAT.observe(expected, t.turns().get(0).result().observation());
    expected = expected.appendSampled(FORMAT.tokenizer().encode(t.turns().get(1).actionText() + "<|im_end|>"));
    assertEquals(expected, x);
    assertTrue(FORMAT.tokenizer().decode(x.tokens()).contains("You have 5 actions left.\nassistant: <answer>"));
  }

  @Test
  void examplesFollowTheRecipe() {
    SokobanSettings settings = SokobanSettings.ragen();
    PretrainData data = new PretrainData(settings, FORMAT);
    SokobanEnvironment env = new SokobanEnvironment(settings);
    SplittableRandom rng = new SplittableRandom(11);
    Map<PretrainData.Kind, Integer> counts = new EnumMap<>(PretrainData.Kind.class);
    int n = 400;
    for (int i = 0; i < n; i++) {
      PretrainData.Example e = data.next(rng);
      counts.merge(e.kind(), 1, Integer::sum);
      String text = FORMAT.tokenizer().decode(e.transcript().tokens());
      for (String a : answers(e.transcript())) {
        assertTrue(a.endsWith("</answer><|im_end|>"), a);
        SokobanAnswer parsed = SokobanAnswer.parse(a, settings.maxActionsPerTurn());
        assertTrue(parsed.valid(), "every answer is well-formed: " + a);
      }
      assertEquals(e.kind().teacher(), text.contains("\n\nSkill:\n" + Skill.PROMPT_HEADING),
          "only teacher examples hold a skill");
      if (e.kind() == PretrainData.Kind.TEACHER_OPTIMAL && counts.get(e.kind()) == 1) {
        // The opening is the coordinator's teacher prompt with the analyst's skill of this very episode.
        Task task = env.tasks().byId(e.taskId()).orElseThrow();
        String first = env.reset(task);
        Trajectory t = PretrainData.play(env, task, SokobanPlans.optimal(Level.parse(first), 10));
        Skill skill = PretrainData.summarize(PretrainData.analyst(), t);
        int[] opening = FORMAT.open(new TeacherPrompt(env.instructions(), first, skill.render())).tokens();
        assertArrayEquals(opening, Arrays.copyOf(e.transcript().tokens(), opening.length));
        assertTrue(skill.goldenWorkflow().contains(t.turns().get(0).actionText()), "the skill names the plan");
        assertEquals(List.of(t.turns().stream().map(x -> x.actionText() + "<|im_end|>").toArray()),
            List.of(answers(e.transcript()).toArray()));
      }
    }
    int teacher = counts.getOrDefault(PretrainData.Kind.TEACHER_OPTIMAL, 0)
        + counts.getOrDefault(PretrainData.Kind.TEACHER_DETOUR, 0);
    assertTrue(Math.abs(teacher - n / 2) < 50, "half the examples are teacher ones: " + counts);
    int random = counts.getOrDefault(PretrainData.Kind.STUDENT_RANDOM, 0);
    int corrupted = counts.getOrDefault(PretrainData.Kind.STUDENT_CORRUPTED, 0);
    assertTrue(Math.abs(random - 0.15 * n) < 30 && Math.abs(corrupted - 0.20 * n) < 35, counts.toString());
    assertTrue(counts.getOrDefault(PretrainData.Kind.TEACHER_DETOUR, 0) > 0, counts.toString());
    assertFalse(counts.containsKey(null));
  }

  @Test
  void aWanderShareReplaysWanderingPlansUnderTheirSkill() {
    SokobanSettings settings = SokobanSettings.ragen();
    PretrainData data = new PretrainData(settings, FORMAT, false, 0.8, 0.5);
    SplittableRandom rng = new SplittableRandom(4);
    Map<PretrainData.Kind, Integer> counts = new EnumMap<>(PretrainData.Kind.class);
    for (int i = 0; i < 200; i++) {
      PretrainData.Example e = data.next(rng);
      counts.merge(e.kind(), 1, Integer::sum);
      if (e.kind() == PretrainData.Kind.TEACHER_WANDERING) {
        String text = FORMAT.tokenizer().decode(e.transcript().tokens());
        assertTrue(text.indexOf("Answers that solve it") < text.indexOf("assistant:"), "a skill of a success: " + text);
      }
    }
    int teacher = counts.entrySet().stream().filter(c -> c.getKey().teacher()).mapToInt(Map.Entry::getValue).sum();
    int wandering = counts.getOrDefault(PretrainData.Kind.TEACHER_WANDERING, 0);
    assertTrue(teacher > 140 && teacher < 180, "teacher share 0.8: " + counts);
    assertTrue(wandering > 0.35 * teacher && wandering < 0.55 * teacher, "wander share 0.5: " + counts);
    assertThrows(IllegalArgumentException.class, () -> new PretrainData(settings, FORMAT, false, 0.8, 1.0));
  }

  @Test
  void fillToEndPlaysAFailedStudentEpisodeUntilTheEnvironmentEndsIt() {
    SokobanSettings settings = SokobanSettings.ragen();
    SokobanEnvironment env = new SokobanEnvironment(settings);
    SplittableRandom rng = new SplittableRandom(2);
    int filled = 0;
    for (Task task : env.tasks().train().subList(0, 30)) {
      List<Direction> plan = SokobanPlans.random(3, rng);
      Trajectory stopped = PretrainData.play(env, task, plan);
      Trajectory t = PretrainData.playToEnd(env, task, plan, rng);
      assertTrue(t.turns().get(t.turns().size() - 1).result().done(), "the last turn ends the episode");
      assertEquals(stopped.turns().get(0).actionText(), t.turns().get(0).actionText(), "the plan comes first");
      if (!stopped.turns().get(stopped.turns().size() - 1).result().done()) {
        filled++;
        assertTrue(t.turns().size() > stopped.turns().size());
      }
      for (Trajectory.Turn turn : t.turns()) {
        assertTrue(turn.result().actionValid(), turn.actionText());
      }
    }
    assertTrue(filled > 10, "most 1-3-move random plans leave the episode open: " + filled);
  }
}
