package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Episodes;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each evaluation clause fails when it should, and the report names it. */
class EvaluationTest {

  private final MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.DEFAULTS);

  /** The reference agent's actions for {@code taskId}, in order; the last is supervisor.complete_task. */
  private List<String> reference(String taskId) {
    Task task = env.tasks().byId(taskId).orElseThrow();
    Trajectory t = Episodes.play(env, task, env.referenceAgent().orElseThrow(), 40);
    assertTrue(t.metrics().success(), taskId);
    return new ArrayList<>(t.turns().stream().map(Trajectory.Turn::actionText).toList());
  }

  /** Replays {@code actions} on a fresh episode of {@code taskId} and returns the last result. */
  private StepResult replay(String taskId, List<String> actions) {
    env.reset(env.tasks().byId(taskId).orElseThrow());
    StepResult last = null;
    for (String a : actions) {
      last = env.step(a);
    }
    return last;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Boolean> evaluation(StepResult r) {
    return (Map<String, Boolean>) r.info().get("evaluation");
  }

  @Test
  void replayingTheReferenceActionsReproducesThePass() {
    String id = "miniappworld/test/remind_debtors/0-1";
    StepResult last = replay(id, reference(id));
    assertTrue(last.done());
    assertEquals(true, last.info().get("tgcPassed"));
    assertEquals(1.0, last.reward(), 0.0);
    assertEquals(List.of(), last.info().get("checksFailed"));
    assertTrue(evaluation(last).size() >= 3, "one check per reminder plus collateral: " + evaluation(last));
  }

  @Test
  void aWrongAnswerFailsTheAnswerClauseOnly() {
    String id = "miniappworld/train/contact_phone/0-0";
    List<String> actions = reference(id);
    actions.set(actions.size() - 1, "{\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{\"answer\":\"555-0000\"}}");
    StepResult last = replay(id, actions);
    assertEquals(List.of("answer"), last.info().get("checksFailed"));
    assertEquals(false, last.info().get("tgcPassed"));
    assertEquals(0.0, last.reward(), 0.0);
    assertEquals(0.5, (Double) last.info().get("completion"), 1e-12);
    assertEquals(0.5, env.metrics().completion(), 1e-12);
    assertEquals("555-0000", last.info().get("answer"));
  }

  @Test
  void answersAreComparedAfterNormalization() {
    String id = "miniappworld/train/contact_phone/0-0";
    List<String> actions = reference(id);
    String right = env.report().orElseThrow().answer().orElseThrow();
    actions.set(actions.size() - 1, "{\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{\"answer\":\"  "
        + right + ". \"}}");
    assertEquals(true, replay(id, actions).info().get("tgcPassed"));
    assertEquals("12.5", TaskEvaluation.normalize("$12.50"));
    assertEquals("rosa dubois", TaskEvaluation.normalize(" Rosa   Dubois."));
  }

  @Test
  void aNumericAnswerIsReadAsText() {
    String id = "miniappworld/train/contact_phone/0-0";
    List<String> actions = reference(id);
    actions.set(actions.size() - 1, "{\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{\"answer\":5550123}}");
    StepResult last = replay(id, actions);
    assertEquals("5550123", last.info().get("answer"));
    assertEquals(List.of("answer"), last.info().get("checksFailed"));
  }

  @Test
  void aMissingChangeFailsItsOwnClause() {
    String id = "miniappworld/train/split_dinner/0-1";
    List<String> actions = reference(id);
    int firstPayment = indexOf(actions, "send_money");
    String skipped = actions.remove(firstPayment);
    StepResult last = replay(id, actions);
    List<?> failed = (List<?>) last.info().get("checksFailed");
    assertEquals(1, failed.size(), failed.toString());
    String clause = (String) failed.get(0);
    assertTrue(clause.startsWith("inserted wallet.payments {amount="), clause);
    String receiver = skipped.replaceAll(".*\"receiver_email\":\"([^\"]+)\".*", "$1");
    assertTrue(clause.contains("receiver_email=" + receiver), clause + " vs " + skipped);
    int checks = evaluation(last).size();
    assertEquals((checks - 1) / (double) checks, (Double) last.info().get("completion"), 1e-12);
    assertEquals(0.0, last.reward(), 0.0);
  }

  @Test
  void payingTwiceIsCollateralDamage() {
    String id = "miniappworld/train/send_money/0-0";
    List<String> actions = reference(id);
    int payment = indexOf(actions, "send_money");
    actions.add(payment, actions.get(payment));
    StepResult last = replay(id, actions);
    assertEquals(List.of(TaskEvaluation.NO_COLLATERAL), last.info().get("checksFailed"));
    List<?> collateral = (List<?>) last.info().get("collateral");
    assertEquals(1, collateral.size());
    assertTrue(collateral.get(0).toString().startsWith("inserted wallet.payments #"), collateral.toString());
    assertEquals(0.0, last.reward(), 0.0);
  }

  @Test
  void deletingAnExtraNoteIsCollateralDamage() {
    String id = "miniappworld/train/delete_note/0-0";
    List<String> actions = reference(id);
    int delete = indexOf(actions, "delete_note");
    String target = actions.get(delete).replaceAll(".*\"note_id\":(\\d+).*", "$1");
    String other = target.equals("1") ? "2" : "1";
    actions.add(delete + 1, actions.get(delete).replace("\"note_id\":" + target, "\"note_id\":" + other));
    StepResult last = replay(id, actions);
    assertEquals(List.of(TaskEvaluation.NO_COLLATERAL), last.info().get("checksFailed"));
    assertTrue(((List<?>) last.info().get("collateral")).get(0).toString().startsWith("deleted notes.notes #" + other));
  }

  @Test
  void anUpdateThatAlsoRewritesOtherFieldsIsNotTheRequiredOne() {
    String id = "miniappworld/test/update_contact_phone/0-0";
    List<String> actions = reference(id);
    int update = indexOf(actions, "update_contact");
    actions.set(update, actions.get(update).replace("}}", ",\"relationship\":\"other\"}}"));
    StepResult last = replay(id, actions);
    List<?> failed = (List<?>) last.info().get("checksFailed");
    assertEquals(2, failed.size(), failed.toString());
    assertTrue(failed.get(0).toString().startsWith("updated phone.contacts #"));
    assertEquals(TaskEvaluation.NO_COLLATERAL, failed.get(1));
  }

  @Test
  void playlistEntriesMustPointToTheNewPlaylist() {
    String id = "miniappworld/train/artist_playlist/0-0";
    List<String> actions = reference(id);
    // put the songs into an existing playlist (id 1) instead of the new one
    List<String> wrong = actions.stream().map(a -> a.contains("\"api\":\"add_song_to_playlist\"")
        ? a.replaceAll("\"playlist_id\":\\d+", "\"playlist_id\":1") : a).toList();
    StepResult last = replay(id, wrong);
    List<?> failed = (List<?>) last.info().get("checksFailed");
    assertTrue(failed.size() >= 2, failed.toString());
    assertTrue(failed.get(0).toString().startsWith("inserted music.playlist_songs {playlist_id=<the new playlist>, "
        + "song_id="), failed.toString());
    assertEquals(TaskEvaluation.NO_COLLATERAL, failed.get(failed.size() - 1));
    assertEquals(true, replay(id, actions).info().get("tgcPassed"));
  }

  @Test
  void anyPathToTheRightStatePasses() {
    String id = "miniappworld/train/add_todo/0-0";
    List<String> actions = reference(id);
    int add = indexOf(actions, "add_task");
    String token = actions.get(add).replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
    String due = actions.get(add).replaceAll(".*\"due_date\":\"([^\"]+)\".*", "$1");
    // add without a due date, add and delete a stray task, then set the date: the net diff is the one insert
    actions.set(add, actions.get(add).replace(",\"due_date\":\"" + due + "\"", ""));
    String stray = "{\"app\":\"todo\",\"api\":\"add_task\",\"args\":{\"access_token\":\"" + token + "\",\"title\":\"tmp\"}}";
    List<String> tail = List.of(stray,
        "{\"app\":\"todo\",\"api\":\"delete_task\",\"args\":{\"access_token\":\"" + token + "\",\"task_id\":10}}",
        "{\"app\":\"todo\",\"api\":\"update_task\",\"args\":{\"access_token\":\"" + token + "\",\"task_id\":9,"
            + "\"due_date\":\"" + due + "\"}}");
    actions.addAll(add + 1, tail);
    StepResult last = replay(id, actions);
    assertEquals(true, last.info().get("tgcPassed"), last.info().toString());
  }

  @Test
  void metricsTrackTheStateBeforeTheEpisodeEnds() {
    String id = "miniappworld/train/send_money/0-0";
    List<String> actions = reference(id);
    env.reset(env.tasks().byId(id).orElseThrow());
    assertEquals(0.5, env.metrics().completion(), 1e-12, "collateral passes, the payment is missing");
    for (String a : actions.subList(0, actions.size() - 1)) {
      env.step(a);
    }
    assertEquals(1.0, env.metrics().completion(), 1e-12);
    assertEquals(false, env.metrics().success(), "success needs complete_task");
  }

  private static int indexOf(List<String> actions, String api) {
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i).contains("\"api\":\"" + api + "\"")) {
        return i;
      }
    }
    throw new AssertionError("no " + api + " in " + actions);
  }
}
