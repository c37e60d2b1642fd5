package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Episodes;
import io.skillsd.environments.Environment;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppWorldAnalysisTest {

  /** Plays the reference agent but first makes two mistakes a model would make. */
  private static final class ClumsyAgent implements ReferenceAgent {
    private final ReferenceAgent inner = new ReferenceSolver();
    private int turn;

    @Override
    public void begin(Environment environment, Task task, String firstObservation) {
      inner.begin(environment, task, firstObservation);
      turn = 0;
    }

    @Override
    public String act(String observation) {
      turn++;
      if (turn == 1) {
        return "call wallet.login please";
      }
      if (turn == 2) {
        return "{\"app\":\"wallet\",\"api\":\"show_balance\",\"args\":{}}";
      }
      return inner.act(turn == 3 ? "(ignored)" : observation);
    }
  }

  @Test
  void listsCallsErrorsAndTheSuccessfulSequence() {
    MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.DEFAULTS);
    Task task = env.tasks().byId("miniappworld/train/send_money/0-1").orElseThrow();
    Trajectory t = Episodes.play(env, task, new ClumsyAgent(), 40);
    AppWorldAnalysis a = AppWorldAnalysis.of(t);
    assertTrue(a.success());
    assertEquals(1.0, a.completion(), 0.0);
    assertEquals(task.id(), a.taskId());
    assertEquals(env.instructionOf(task), a.instruction());
    assertEquals(new AppWorldAnalysis.ApiCall(1, "(malformed)", false), a.calls().get(0));
    assertEquals(new AppWorldAnalysis.ApiCall(2, "wallet.show_balance", false), a.calls().get(1));
    assertEquals(2, a.errors().size());
    assertEquals("invalid_json", a.errors().get(0).kind());
    assertEquals(new AppWorldAnalysis.ApiFailure(2, "wallet.show_balance", "auth_required",
        "wallet.show_balance requires an access_token. Get one with wallet.login."), a.errors().get(1));
    assertEquals(List.of("api_docs.show_api_descriptions(app_name)", "supervisor.show_profile()",
        "supervisor.show_account_passwords()", "wallet.login(username, password)",
        "wallet.search_users(access_token, query)", "wallet.send_money(access_token, receiver_email, amount, note)",
        "supervisor.complete_task(status)"), a.successfulSequence());
    assertEquals(List.of(), a.failedChecks());
    assertEquals(Optional.empty(), a.answer());
    String text = a.toText();
    assertTrue(text.contains("- turn 2 wallet.show_balance [auth_required] wallet.show_balance requires an access_token."),
        text);
    assertTrue(text.contains("API calls (9, 2 failed)"), text);
  }

  @Test
  void aFailedEpisodeNamesItsFailedChecks() {
    MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.DEFAULTS);
    Task task = env.tasks().byId("miniappworld/train/contact_phone/0-2").orElseThrow();
    ReferenceAgent quitter = new ReferenceAgent() {
      @Override
      public void begin(Environment environment, Task t, String firstObservation) {}

      @Override
      public String act(String observation) {
        return "{\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{\"answer\":\"I do not know\"}}";
      }
    };
    AppWorldAnalysis a = AppWorldAnalysis.of(Episodes.play(env, task, quitter, 40));
    assertFalse(a.success());
    assertEquals(List.of("answer"), a.failedChecks());
    assertEquals(Optional.of("I do not know"), a.answer());
    assertTrue(a.toText().contains("Failed checks:\n- answer"), a.toText());
  }
}
