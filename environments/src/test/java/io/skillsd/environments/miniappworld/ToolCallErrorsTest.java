package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.StepResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallErrorsTest {

  private static final String TASK = "miniappworld/train/send_money/0-0";

  private static void assertMalformed(StepResult r, String kind, String message) {
    assertEquals("error (" + kind + "): " + message, r.observation());
    assertEquals(-0.1, r.reward(), 1e-12);
    assertFalse(r.actionValid());
    assertFalse(r.actionEffective());
    assertFalse(r.done());
    assertEquals(kind, r.info().get("errorKind"));
    assertEquals(message, r.info().get("reason"));
  }

  private static void assertRefused(StepResult r, String kind, String message) {
    assertEquals("error (" + kind + "): " + message, r.observation());
    assertEquals(0.0, r.reward(), 0.0);
    assertTrue(r.actionValid());
    assertFalse(r.actionEffective());
    assertEquals(kind, r.info().get("errorKind"));
    assertEquals(message, r.info().get("error"));
  }

  @Test
  void badJsonIsPenalizedWithTheParserPosition() {
    StepResult r = Turns.of(TASK).env.step("{\"app\": \"wallet\", \"api\": ");
    assertEquals("invalid_json", r.info().get("errorKind"));
    assertTrue(r.observation().startsWith("error (invalid_json): the action is not valid JSON ("), r.observation());
    assertTrue(r.observation().contains("line 1, column"), r.observation());
    assertEquals(-0.1, r.reward(), 1e-12);
    assertFalse(r.actionValid());
  }

  @Test
  void proseAroundTheCallIsNotAcceptedButAFenceIs() {
    Turns t = Turns.of(TASK);
    StepResult prose = t.env.step("I will call {\"app\":\"supervisor\",\"api\":\"show_profile\",\"args\":{}}");
    assertEquals("invalid_json", prose.info().get("errorKind"));
    StepResult fenced = t.env.step("```json\n{\"app\":\"supervisor\",\"api\":\"show_profile\",\"args\":{}}\n```");
    assertTrue(fenced.actionValid());
    assertEquals(true, fenced.info().get("ok"));
  }

  @Test
  void wrongShapesAreNamed() {
    Turns t = Turns.of(TASK);
    assertMalformed(t.env.step("[1, 2]"), "bad_shape", "the action must be a JSON object. Write exactly one tool "
        + "call: {\"app\": \"<app>\", \"api\": \"<api>\", \"args\": {...}}.");
    assertMalformed(t.env.step("{\"app\": \"wallet\"}"), "bad_shape", "the tool call needs string fields \"app\" "
        + "and \"api\". Write exactly one tool call: {\"app\": \"<app>\", \"api\": \"<api>\", \"args\": {...}}.");
    assertMalformed(t.env.step("{\"app\": \"wallet\", \"api\": \"login\", \"args\": [1]}"), "bad_shape",
        "\"args\" must be a JSON object of named arguments. Write exactly one tool call: {\"app\": \"<app>\", "
            + "\"api\": \"<api>\", \"args\": {...}}.");
  }

  @Test
  void unknownAppAndApiListWhatExists() {
    Turns t = Turns.of(TASK);
    assertMalformed(t.step("venmo", "send_money", "{}"), "unknown_app", "unknown app 'venmo'. Apps: api_docs, "
        + "supervisor, phone, notes, todo, wallet, music. See api_docs.show_app_descriptions.");
    assertMalformed(t.step("wallet", "pay", "{}"), "unknown_api", "app 'wallet' has no API 'pay'. APIs: login, "
        + "show_balance, search_users, list_payments, list_requests, send_money, request_money, pay_request, "
        + "decline_request, add_funds.");
  }

  @Test
  void argumentsAreCheckedAgainstTheSignature() {
    Turns t = Turns.of(TASK);
    String token = t.login("wallet");
    assertMalformed(t.step("wallet", "send_money", "{\"access_token\":\"" + token + "\",\"receiver_email\":\"x\","
        + "\"note\":\"n\"}"), "missing_argument", "wallet.send_money is missing required argument 'amount' (number).");
    assertMalformed(t.step("wallet", "send_money", "{\"access_token\":\"" + token + "\",\"receiver_email\":\"x\","
        + "\"note\":\"n\",\"amount\":\"ten\"}"), "mistyped_argument",
        "wallet.send_money argument 'amount' must be a number, got string \"ten\".");
    assertMalformed(t.step("notes", "show_note", "{\"note_id\": 1.5}"), "mistyped_argument",
        "notes.show_note argument 'note_id' must be an integer, got number 1.5.");
    assertMalformed(t.step("wallet", "show_balance", "{\"access_token\":\"" + token + "\",\"currency\":\"usd\"}"),
        "unknown_argument", "wallet.show_balance has no argument 'currency'. Arguments: access_token: string.");
  }

  @Test
  void authIsRequiredAndTokensArePerApp() {
    Turns t = Turns.of(TASK);
    assertRefused(t.step("wallet", "show_balance", "{}"), "auth_required",
        "wallet.show_balance requires an access_token. Get one with wallet.login.");
    String notesToken = t.login("notes");
    assertRefused(t.step("wallet", "show_balance", "{\"access_token\":\"" + notesToken + "\"}"), "auth_required",
        "wallet.show_balance requires a valid access_token for wallet; the one given is not. Get one with wallet.login.");
    assertRefused(t.step("wallet", "login", "{\"username\":\"nobody@example.com\",\"password\":\"x\"}"),
        "auth_required", "wrong username or password for wallet; the username is your email and the password is "
            + "in supervisor.show_account_passwords.");
    String walletToken = t.login("wallet");
    assertTrue(t.ok("wallet", "show_balance", "{\"access_token\":\"" + walletToken + "\"}").get("balance").isNumber());
  }

  @Test
  void missingRowsAndRefusedActionsSayWhy() {
    Turns t = Turns.of(TASK);
    String notes = t.login("notes");
    assertRefused(t.step("notes", "show_note", "{\"access_token\":\"" + notes + "\",\"note_id\":999}"), "not_found",
        "no note with note_id 999");
    String wallet = t.login("wallet");
    assertRefused(t.step("wallet", "send_money", "{\"access_token\":\"" + wallet + "\",\"receiver_email\":"
        + "\"ghost@example.com\",\"amount\":5,\"note\":\"n\"}"), "not_found",
        "no wallet user with email 'ghost@example.com'; find people with wallet.search_users");
    String someone = t.ok("wallet", "search_users", "{\"access_token\":\"" + wallet + "\",\"query\":\"a\"}")
        .get("items").get(1).get("email").asText();
    assertRefused(t.step("wallet", "send_money", "{\"access_token\":\"" + wallet + "\",\"receiver_email\":\""
        + someone + "\",\"amount\":5.001,\"note\":\"n\"}"), "rejected",
        "amount must be a positive amount with at most two decimals, got 5.001");
  }

  @Test
  void penaltyFollowsTheOption() {
    MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.fromOptions(Map.of("format-penalty", "-0.5")));
    Turns t = new Turns(env, TASK);
    assertEquals(-0.5, t.env.step("not json").reward(), 1e-12);
  }

  @Test
  void longObservationsAreTruncatedToTheConfiguredLength() {
    MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.fromOptions(Map.of("observation-max-chars", "200")));
    Turns t = new Turns(env, TASK);
    StepResult r = t.step("api_docs", "show_api_descriptions", "{\"app_name\":\"music\"}");
    assertEquals(true, r.info().get("truncated"));
    assertTrue(r.observation().startsWith("[{\"name\":\"login\""));
    assertTrue(r.observation().matches("(?s).{200}… \\[truncated \\d+ characters; use page_index or a narrower query]"),
        r.observation());
    StepResult small = t.step("supervisor", "show_profile", "{}");
    assertEquals(false, small.info().get("truncated"));
  }

  @Test
  void theTurnCapEndsAndEvaluatesTheEpisode() {
    MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.fromOptions(Map.of("max-turns", "2")));
    Turns t = new Turns(env, TASK);
    assertFalse(t.step("supervisor", "show_profile", "{}").done());
    StepResult last = t.env.step("oops");
    assertTrue(last.done());
    assertEquals("turn_limit", last.info().get("endReason"));
    assertEquals(false, last.info().get("tgcPassed"));
    assertEquals(-0.1, last.reward(), 1e-12);
    assertTrue(last.observation().endsWith("[turn limit of 2 reached; the episode is over]"));
    assertFalse(env.metrics().success());
  }
}
