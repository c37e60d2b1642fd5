package io.skillsd.skills.summarizer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Trajectory;
import io.skillsd.skills.ScriptedTrajectories;
import io.skillsd.skills.ScriptedTrajectories.Builder;
import org.junit.jupiter.api.Test;

class SummaryPromptTest {

  @Test
  void userPromptStatesTheOutcomeAndEveryTurn() {
    String user = new SummaryPrompt(2000, 12_000).user(ScriptedTrajectories.failed());
    assertTrue(user.contains("Outcome: not solved; completion 0%; total reward -0.50; 5 turns, the episode ended."), user);
    assertTrue(user.contains("[turn 2] action: <think>go Down</think><answer>Down</answer>\nreward -1.10; valid: yes;"
        + " had an effect: yes\nobservation:\nbox pushed off the target"), user);
    assertTrue(user.contains("First observation:\n######\n#P_X_#"), user);
  }

  @Test
  void longTranscriptKeepsItsEndsWithinTheBudget() {
    Builder b = new Builder();
    for (int i = 1; i <= 200; i++) {
      b.turn("<answer>Up</answer>", -0.1, "observation number " + i, true, true, i == 200, false);
    }
    Trajectory t = b.build("sokoban", ScriptedTrajectories.SOKOBAN_TASK, false, 0.0);
    SummaryPrompt prompt = new SummaryPrompt(2000, 3_000);
    String user = prompt.user(t);
    String turns = user.substring(user.indexOf("Turns:\n"));
    assertTrue(turns.length() < 3_000 + 200, "turns section " + turns.length());
    assertTrue(user.contains("observation number 1\n"));
    assertTrue(user.contains("observation number 200\n"));
    assertFalse(user.contains("observation number 100\n"));
    assertTrue(user.matches("(?s).*\\[turns \\d+ to \\d+ left out for length\\].*"), user);
  }

  @Test
  void correctionQuotesTheReason() {
    assertTrue(SummaryPrompt.correction("'golden_workflow' must not be empty")
        .contains("Your previous answer was rejected: 'golden_workflow' must not be empty."));
  }
}
