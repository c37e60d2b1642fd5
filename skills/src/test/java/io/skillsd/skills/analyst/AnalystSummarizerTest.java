package io.skillsd.skills.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Trajectory;
import io.skillsd.skills.ScriptedTrajectories;
import io.skillsd.skills.ScriptedTrajectories.Builder;
import io.skillsd.skills.Skill;
import io.skillsd.skills.analyst.TrajectoryFacts.Event;
import io.skillsd.skills.analyst.TrajectoryFacts.Kind;
import io.skillsd.skills.analyst.TrajectoryFacts.Outcome;
import io.skillsd.skills.analyst.TrajectoryFacts.Step;
import io.skillsd.skills.summarizer.SummarizerStats;
import io.skillsd.skills.summarizer.SummaryContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalystSummarizerTest {

  private static final SummaryContext CONTEXT = new SummaryContext("it2/017/g0", 2, 0.5);

  private static Skill summarize(AnalystSummarizer analyst, Trajectory t) throws Exception {
    return analyst.summarize(t, CONTEXT).get().orElseThrow();
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), "expected \"" + part + "\" in: " + text);
    }
  }

  @Test
  void solvedEpisodeGivesItsEffectiveStepsAndNamesItsWastedTurns() throws Exception {
    AnalystSummarizer analyst = AnalystSummarizer.generic();
    Trajectory t = ScriptedTrajectories.solved();
    TrajectoryFacts facts = analyst.facts(t);
    assertEquals(Outcome.SOLVED, facts.outcome());
    assertEquals(List.of(new Step("Right", 2), new Step("Down", 1)), facts.workflow());
    assertEquals(List.of(2), facts.events(Kind.INVALID_ACTION).stream().map(Event::turn).toList());
    assertEquals(List.of(3), facts.events(Kind.NO_EFFECT).stream().map(Event::turn).toList());

    Skill skill = summarize(analyst, t);
    assertContains(skill.successAnalysis(), "Solved the task in 5 turns", "return 10.50",
        "turn 5 Down (reward +10.90; solved the task)", "in order: Right ×2, Down.");
    assertContains(skill.mistakeAnalysis(), "turn 2 \"I think I should move the box\"",
        "\"Invalid action: no <answer> found.\"", "turn 3 Up (\"You bumped into a wall.\")", "2 of the 5 turns were wasted");
    assertEquals("1. Right ×2. 2. Down, which solves the task. Throughout: write every action in the required format; "
        + "do not spend turns on actions that change nothing (Up at turn 3).", skill.goldenWorkflow());
    assertEquals(new Skill.Provenance("sokoban/skill-sd/train/017", "it2/017/g0", 0.5, 2, "analyst"), skill.provenance());
    assertEquals(new SummarizerStats(1, 1, 0, 0, 1, 0, 0, 0, 0), analyst.stats());
  }

  @Test
  void failedEpisodeKeepsTheProgressAndWarnsAboutTheSetback() throws Exception {
    Skill skill = summarize(AnalystSummarizer.generic(), ScriptedTrajectories.failed());
    assertContains(skill.successAnalysis(), "The task was not solved (completion 0%, return -0.50)",
        "turn 1 Down (reward +0.90; \"box on target\")");
    assertContains(skill.mistakeAnalysis(), "Turn 2 Down (reward -1.10; \"box pushed off the target\") lost ground",
        "2 actions had no effect: turn 4 Left", "The episode ended at turn 5 without solving the task");
    assertContains(skill.goldenWorkflow(), "1. Start with the steps that made progress: Down.",
        "2. Avoid what went wrong: turn 2 Down (reward -1.10", "3. Continue until the task is solved");
    assertFalse(skill.goldenWorkflow().contains("write every action"), "no invalid turn happened");
  }

  @Test
  void randomEpisodeWithoutProgressSaysSoAndStopsAtTheTurnLimit() throws Exception {
    Builder b = new Builder();
    String[] moves = {"Up", "Left", "Up", "Left"};
    for (String m : moves) {
      b.turn("<answer>" + m + "</answer>", -0.1, "You bumped into a wall.", true, false, false, false);
    }
    b.turn("<answer>Jump</answer>", -0.1, "Invalid action: Jump is not one of Up, Down, Left, Right.", false, false,
        false, false);
    Trajectory t = b.build("sokoban", ScriptedTrajectories.SOKOBAN_TASK, false, 0.0);
    AnalystSummarizer analyst = AnalystSummarizer.generic();
    assertEquals(Outcome.TURN_LIMIT, analyst.facts(t).outcome());
    assertEquals(List.of(), analyst.facts(t).workflow());
    Skill skill = summarize(analyst, t);
    assertContains(skill.successAnalysis(), "Nothing in this attempt made progress (completion 0%, return -0.50)");
    assertContains(skill.mistakeAnalysis(), "\"Jump\" (\"Invalid action: Jump is not one of Up, Down, Left, Right.\")",
        "4 actions had no effect: turn 1 Up", "The attempt used all 5 turns allowed without solving the task");
    assertContains(skill.goldenWorkflow(), "1. Read the first observation and plan",
        "write every action in the required format", "Up at turn 1, Left at turn 2, Up at turn 3, Left at turn 4");
  }

  @Test
  void toolUseEpisodeNamesTheCallsThatWorkedAndTheErrors() throws Exception {
    Trajectory t = new Builder()
        .turn("{\"app\":\"api_docs\",\"api\":\"show_api_descriptions\",\"args\":{\"app_name\":\"wallet\"}}", 0.0,
            "[{\"name\":\"send_payment\"}]", true, true, false, false)
        .turn("{\"app\":\"wallet\",\"api\":\"send_money\",\"args\":{}}", -0.1,
            "Error: unknown API 'send_money' in app 'wallet'. Use api_docs to list the APIs.", false, false, false, false)
        .turn("{\"app\":\"wallet\",\"api\":\"send_payment\",\"args\":{\"to\":\"ana\",\"amount\":\"12\"}}", 0.0,
            "Error: 'amount' must be a number.", true, false, false, false)
        .turn("{\"app\":\"wallet\",\"api\":\"send_payment\",\"args\":{\"to\":\"ana\",\"amount\":12}}", 0.0,
            "{\"payment_id\": 41}", true, true, false, false)
        .turn("{\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{\"status\":\"success\"}}", 1.0,
            "Task completed.", true, true, true, true)
        .build("miniappworld", ScriptedTrajectories.APP_TASK, true, 1.0);
    Skill skill = summarize(AnalystSummarizer.generic(), t);
    assertContains(skill.mistakeAnalysis(), "\"Error: unknown API 'send_money' in app 'wallet'. Use api_docs to list the APIs.\"",
        "(\"Error: 'amount' must be a number.\")");
    assertContains(skill.goldenWorkflow(),
        "1. {\"app\":\"api_docs\",\"api\":\"show_api_descriptions\"",
        "2. {\"app\":\"wallet\",\"api\":\"send_payment\",\"args\":{\"to\":\"ana\",\"amount\":12}}.",
        "3. {\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{\"status\":\"success\"}}, which solves the task.");
    assertContains(skill.successAnalysis(), "Solved the task in 5 turns", "(reward +1.00; solved the task; \"Task completed.\")");
  }

  @Test
  void environmentExtractorRefinesTheGenericFacts() throws Exception {
    // The seam an environment's own analyst plugs into: start from the generic facts, add what only it knows.
    FactExtractor deadlocks = t -> new GenericFactExtractor().extract(t)
        .withEvents(List.of(new Event(2, "Down", Kind.ERROR, "the box at (3,1) is stuck in a corner, a deadlock")))
        .withLessons(List.of("Never push a box into a corner that is not a target."));
    AnalystSummarizer analyst = new AnalystSummarizer(Map.of("sokoban", deadlocks), 2000);
    Skill skill = summarize(analyst, ScriptedTrajectories.failed());
    assertContains(skill.mistakeAnalysis(), "Turn 2 Down: the box at (3,1) is stuck in a corner, a deadlock.");
    assertContains(skill.goldenWorkflow(), "Avoid what went wrong: turn 2 Down (the box at (3,1)",
        "Never push a box into a corner that is not a target.");
    // another environment still gets the generic facts
    Trajectory other = new Builder().move("Right", 1.0, "done").build("gridworld", ScriptedTrajectories.SOKOBAN_TASK,
        true, 1.0);
    assertFalse(summarize(analyst, other).goldenWorkflow().contains("corner"));
  }

  @Test
  void fieldsRespectTheCap() throws Exception {
    Builder b = new Builder();
    for (int i = 0; i < 60; i++) {
      b.turn("<answer>this is a rather long invalid action number " + i + "</answer>", -0.1,
          "Invalid action: could not parse the answer because it is not one of the four moves.", false, false, false,
          false);
    }
    Trajectory t = b.build("sokoban", ScriptedTrajectories.SOKOBAN_TASK, false, 0.0);
    Skill skill = summarize(new AnalystSummarizer(Map.of(), 200), t);
    assertTrue(skill.longestField() <= 200, "longest field " + skill.longestField());
    assertContains(skill.mistakeAnalysis(), "60 turns were not a valid action");
  }

  @Test
  void sameTrajectoryGivesTheSameSkill() throws Exception {
    AnalystSummarizer analyst = AnalystSummarizer.generic();
    assertEquals(summarize(analyst, ScriptedTrajectories.failed()), summarize(analyst, ScriptedTrajectories.failed()));
  }
}
