package io.skillsd.skills.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Environment;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.miniappworld.MiniAppWorld;
import io.skillsd.environments.miniappworld.MiniAppWorldSettings;
import io.skillsd.environments.miniappworld.ReferenceSolver;
import io.skillsd.skills.Skill;
import io.skillsd.skills.analyst.TrajectoryFacts.Event;
import io.skillsd.skills.analyst.TrajectoryFacts.Kind;
import io.skillsd.skills.analyst.TrajectoryFacts.Outcome;
import io.skillsd.skills.analyst.TrajectoryFacts.Step;
import io.skillsd.skills.summarizer.SummaryContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MiniAppWorld facts on scripted trajectories: the reference solution, one with API errors, one that fails. */
class AppWorldFactExtractorTest {
  private static final MiniAppWorld ENV = new MiniAppWorld(MiniAppWorldSettings.DEFAULTS);
  private static final Task SEND_MONEY = ENV.tasks().byId("miniappworld/train/send_money/0-1").orElseThrow();
  private static final List<Step> SOLUTION = List.of(
      new Step("api_docs.show_api_descriptions(app_name)", 1), new Step("supervisor.show_profile()", 1),
      new Step("supervisor.show_account_passwords()", 1), new Step("wallet.login(username, password)", 1),
      new Step("wallet.search_users(access_token, query)", 1),
      new Step("wallet.send_money(access_token, receiver_email, amount, note)", 1),
      new Step("supervisor.complete_task(status)", 1));

  private final AppWorldFactExtractor extractor = new AppWorldFactExtractor();

  /** The reference solver after two mistakes a model makes: text that is not a call, a call before logging in. */
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
  void theReferenceSolutionIsTheWorkflowWithNothingToAvoid() {
    Trajectory t = Episodes.play(ENV, SEND_MONEY, new ReferenceSolver(), 40);
    TrajectoryFacts f = extractor.extract(t);
    assertEquals(Outcome.SOLVED, f.outcome());
    assertEquals(SOLUTION, f.workflow());
    assertEquals(List.of(), f.events(Kind.ERROR));
    assertEquals(List.of(), f.events(Kind.INVALID_ACTION));
    assertEquals(List.of(), f.lessons());

    Skill skill = analyst().summarize(t, new SummaryContext("it0/send_money/g0", 0, 1.0)).join().orElseThrow();
    assertTrue(skill.goldenWorkflow().startsWith("1. api_docs.show_api_descriptions(app_name). "
        + "2. supervisor.show_profile(). 3. supervisor.show_account_passwords(). 4. wallet.login(username, password)."),
        skill.goldenWorkflow());
    assertTrue(skill.goldenWorkflow().contains("7. supervisor.complete_task(status), which solves the task."),
        skill.goldenWorkflow());
    assertTrue(skill.mistakeAnalysis().startsWith("No mistakes"), skill.mistakeAnalysis());
  }

  @Test
  void errorsAreNamedWithTheirKindAndCauseAndTurnIntoLessons() {
    Trajectory t = Episodes.play(ENV, SEND_MONEY, new ClumsyAgent(), 40);
    TrajectoryFacts f = extractor.extract(t);
    assertEquals(Outcome.SOLVED, f.outcome());
    assertEquals(SOLUTION, f.workflow(), "the failed calls are not part of the workflow");
    List<Event> invalid = f.events(Kind.INVALID_ACTION);
    assertEquals(1, invalid.size());
    assertEquals(1, invalid.get(0).turn());
    assertEquals("a malformed call", invalid.get(0).action());
    assertTrue(invalid.get(0).detail().startsWith("invalid_json: the action is not valid JSON"), invalid.get(0).detail());
    assertEquals(List.of(new Event(2, "wallet.show_balance", Kind.ERROR,
        "auth_required: wallet.show_balance requires an access_token")), f.events(Kind.ERROR));
    assertTrue(f.events().stream().filter(e -> e.turn() <= 2).count() == 2, "one event per failed turn: " + f.events());
    assertEquals(List.of(
        "Write each action as exactly one JSON tool call {\"app\": …, \"api\": …, \"args\": {…}}.",
        "Log in first: wallet.login(username, password) with the password from supervisor.show_account_passwords, "
            + "then pass its access_token to wallet.show_balance."), f.lessons());

    Skill skill = analyst().summarize(t, new SummaryContext("it0/send_money/g1", 0, 1.0)).join().orElseThrow();
    assertTrue(skill.mistakeAnalysis().contains(
        "Turn 2 wallet.show_balance: auth_required: wallet.show_balance requires an access_token."),
        skill.mistakeAnalysis());
    assertTrue(skill.mistakeAnalysis().contains("turn 1 \"a malformed call\""), skill.mistakeAnalysis());
    assertTrue(skill.goldenWorkflow().contains("Log in first: wallet.login(username, password)"), skill.goldenWorkflow());
  }

  @Test
  void aFailedEpisodeStatesItsFailedChecks() {
    Task task = ENV.tasks().byId("miniappworld/train/contact_phone/0-2").orElseThrow();
    ReferenceAgent quitter = new ReferenceAgent() {
      @Override
      public void begin(Environment environment, Task t, String firstObservation) {}

      @Override
      public String act(String observation) {
        return "{\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{\"answer\":\"I do not know\"}}";
      }
    };
    Trajectory t = Episodes.play(ENV, task, quitter, 40);
    TrajectoryFacts f = extractor.extract(t);
    assertEquals(Outcome.FAILED, f.outcome());
    assertEquals(List.of(new Step("supervisor.complete_task(answer)", 1)), f.workflow());
    assertEquals(List.of("The final state failed these checks: answer."), f.lessons());
    Skill skill = analyst().summarize(t, new SummaryContext("it0/contact_phone/g0", 0, 0.0)).join().orElseThrow();
    assertTrue(skill.goldenWorkflow().contains("The final state failed these checks: answer."), skill.goldenWorkflow());
    assertTrue(skill.mistakeAnalysis().contains("without solving the task"), skill.mistakeAnalysis());
  }

  private AnalystSummarizer analyst() {
    return new AnalystSummarizer(Map.of(AppWorldFactExtractor.ENVIRONMENT, extractor), 2000);
  }
}
