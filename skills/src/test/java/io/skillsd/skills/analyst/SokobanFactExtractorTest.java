package io.skillsd.skills.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Episodes;
import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.SokobanAnalysis;
import io.skillsd.environments.sokoban.SokobanAnswer;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanRandomAgent;
import io.skillsd.environments.sokoban.SokobanReferenceAgent;
import io.skillsd.environments.sokoban.SokobanSettings;
import io.skillsd.environments.sokoban.SokobanSolver;
import io.skillsd.skills.Skill;
import io.skillsd.skills.analyst.TrajectoryFacts.Kind;
import io.skillsd.skills.analyst.TrajectoryFacts.Outcome;
import io.skillsd.skills.analyst.TrajectoryFacts.Step;
import io.skillsd.skills.summarizer.SummaryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SokobanFactExtractorTest {

  /** Player top left, a box above its target: Right then a push Down solves it. */
  private static final String ROOM = String.join("\n",
      "######",
      "#P___#",
      "#_X__#",
      "#_O__#",
      "#____#",
      "######");

  private static final Task TASK = new Task("sokoban/ragen/test/handmade", Split.TEST, 0, 1);
  private static final SokobanFactExtractor EXTRACTOR = new SokobanFactExtractor();

  /** Plays the answers on the hand-made room with RAGEN's protocol. */
  private static Trajectory play(String... answers) {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    String first = env.reset(Level.parse(ROOM));
    List<Trajectory.Turn> turns = new ArrayList<>();
    for (String a : answers) {
      turns.add(new Trajectory.Turn(a, env.step(a)));
      if (env.done()) {
        break;
      }
    }
    return new Trajectory(SokobanEnvironment.NAME, TASK, env.instructions(), first, turns, env.metrics());
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), "expected \"" + part + "\" in: " + text);
    }
  }

  @Test
  void solverTrajectoryGivesTheWholePlanAsWorkflowAndAsAnswersPerTurn() throws Exception {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    Task task = env.tasks().test().stream()
        .filter(t -> SokobanSolver.solve(Level.parse(env.reset(t)), 10).orElseThrow().length() > 5)
        .findFirst().orElseThrow();
    SokobanReferenceAgent agent = new SokobanReferenceAgent();
    Trajectory t = Episodes.play(env, task, agent, Integer.MAX_VALUE);
    String first = t.firstObservation();
    List<Direction> plan = agent.plan();

    TrajectoryFacts facts = EXTRACTOR.extract(t);
    assertEquals(Outcome.SOLVED, facts.outcome());
    int moves = facts.workflow().stream().mapToInt(Step::repeats).sum();
    assertEquals(plan.size(), moves, "every move of an optimal plan is in the workflow");
    String expectedAnswers = "turn 1 " + SokobanAnswer.format(plan.subList(0, 5)) + ", turn 2 "
        + SokobanAnswer.format(plan.subList(5, plan.size()));
    assertContains(String.join(" ", facts.lessons()), "Answers that solve it from the start: " + expectedAnswers + ".",
        "This plan is optimal: " + plan.size() + " moves.");
    assertTrue(facts.events(Kind.ERROR).isEmpty());

    Skill skill = new AnalystSummarizer(Map.of(SokobanEnvironment.NAME, EXTRACTOR), 2000)
        .summarize(t, new SummaryContext("solver", 0, 1.0)).get().orElseThrow();
    assertContains(skill.goldenWorkflow(), "which solves the task", expectedAnswers);
    assertTrue(skill.goldenWorkflow().contains("push "), "the workflow marks pushes: " + skill.goldenWorkflow());
    assertContains(skill.render(), "Golden workflow to follow: 1. ");
  }

  @Test
  void detourThatSolvesLosesItsLoopAndIsNamedWasted() {
    Trajectory t = play("<answer>Down || Up || Left || Right</answer>", "<answer>Down</answer>");
    TrajectoryFacts facts = EXTRACTOR.extract(t);
    assertEquals(Outcome.SOLVED, facts.outcome());
    // Down, Up came back; Left bumped into the wall: three wasted moves; the real plan is Right, push Down.
    assertEquals(List.of(new Step("Right", 1), new Step("push Down", 1)), facts.workflow());
    String lessons = String.join(" ", facts.lessons());
    assertContains(lessons, "Answers that solve it from the start: turn 1 <answer>Right || Down</answer>.",
        "This plan is optimal: 2 moves.",
        "3 of the 5 moves were wasted", "moves 1, 2, 3.");
  }

  @Test
  void deadlockingPushIsAnErrorAndLeavesNoWorkflow() throws Exception {
    // Right, Right, Down reaches the box's right side; Left pushes it against the left wall, no target there.
    Trajectory t = play("<answer>Right || Right || Down || Left</answer>");
    TrajectoryFacts facts = EXTRACTOR.extract(t);
    assertFalse(facts.outcome() == Outcome.SOLVED);
    assertEquals(List.of(), facts.workflow());
    var errors = facts.events(Kind.ERROR);
    assertEquals(1, errors.size());
    assertEquals("push Left", errors.get(0).action());
    assertContains(errors.get(0).detail(), "move 4 pushed the box to 2,1", "against a wall with no target along it");
    assertContains(String.join(" ", facts.lessons()), "The level can be solved in 2 moves.", "Never push a box");

    Skill skill = new AnalystSummarizer(Map.of(SokobanEnvironment.NAME, EXTRACTOR), 2000)
        .summarize(t, new SummaryContext("deadlock", 0, 0.0)).get().orElseThrow();
    assertContains(skill.mistakeAnalysis(), "Turn 1 push Left: move 4 pushed the box to 2,1");
    assertFalse(skill.goldenWorkflow().contains("<answer>"), "a failure gives no replayable answers");
  }

  @Test
  void solveFailuresCorrectsAFailureWithAnOptimalPlanThatSolvesTheLevel() throws Exception {
    Trajectory failed = play("<answer>Right || Right || Down || Left</answer>");
    SokobanFactExtractor correcting = new SokobanFactExtractor(true);
    TrajectoryFacts facts = correcting.extract(failed);
    assertFalse(facts.outcome() == Outcome.SOLVED);
    assertEquals(List.of(), facts.workflow(), "the correction is not a step the attempt played");
    assertEquals(1, facts.events(Kind.ERROR).size(), "the mistake analysis is kept");
    assertContains(String.join(" ", facts.lessons()),
        "Answers that solve it from the start (a correction found by search, not played): "
            + "turn 1 <answer>Right || Down</answer>.");

    Skill skill = new AnalystSummarizer(Map.of(SokobanEnvironment.NAME, correcting), 2000)
        .summarize(failed, new SummaryContext("deadlock", 0, 0.0)).get().orElseThrow();
    java.util.regex.Matcher answer = java.util.regex.Pattern.compile("<answer>.*?</answer>").matcher(skill.goldenWorkflow());
    List<String> answers = new ArrayList<>();
    while (answer.find()) {
      answers.add(answer.group());
    }
    Trajectory replayed = play(answers.toArray(String[]::new));
    assertEquals(1.0, SokobanAnalysis.of(replayed).solved() ? 1.0 : 0.0, "the correction's answers solve the level");

    // A success is summarized the same with or without the option.
    Trajectory solved = play("<answer>Right || Down</answer>");
    assertEquals(EXTRACTOR.extract(solved), correcting.extract(solved));
  }

  @Test
  void randomTrajectoryKeepsOnlyProgressBeforeAnyDeadlock() {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    int checked = 0;
    for (Task task : env.tasks().test().subList(0, 40)) {
      Trajectory t = Episodes.play(env, task, new SokobanRandomAgent(7), Integer.MAX_VALUE);
      String first = t.firstObservation();
      TrajectoryFacts facts = EXTRACTOR.extract(t);
      int optimal = SokobanSolver.solve(Level.parse(first), 100).orElseThrow().length();
      String lessons = String.join(" ", facts.lessons());
      if (facts.outcome() == Outcome.SOLVED) {
        assertContains(lessons, "Answers that solve it from the start: turn 1 <answer>");
        assertTrue(facts.workflow().stream().mapToInt(Step::repeats).sum() >= optimal);
      } else {
        checked++;
        assertContains(lessons, "The level can be solved in " + optimal + " moves.");
        SokobanAnalysis analysis = SokobanAnalysis.of(t);
        if (analysis.pushes().stream().noneMatch(SokobanAnalysis.Push::ontoTarget)) {
          assertEquals(List.of(), facts.workflow(), "no progress, nothing to repeat");
        }
        assertEquals(analysis.deadlocks().size(), facts.events(Kind.ERROR).size());
        if (!analysis.deadlocks().isEmpty()) {
          assertContains(lessons, "Never push a box");
        }
        if (!analysis.wastedSteps().isEmpty()) {
          assertContains(lessons, analysis.wastedSteps().size() + " of the " + analysis.steps() + " moves were wasted");
        }
      }
    }
    assertTrue(checked > 20, "most random episodes fail: " + checked);
  }
}
