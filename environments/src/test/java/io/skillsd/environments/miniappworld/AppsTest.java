package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillsd.environments.StepResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The apps' surface: discovery, pagination, and the size of each app. */
class AppsTest {

  @Test
  void everyAppHasFiveToTwelveApisAndApiDocsDescribesThem() {
    Turns t = Turns.of("miniappworld/train/add_todo/0-0");
    JsonNode apps = t.ok("api_docs", "show_app_descriptions", "{}");
    List<String> names = new ArrayList<>();
    apps.forEach(a -> names.add(a.get("name").asText()));
    assertEquals(List.of("api_docs", "supervisor", "phone", "notes", "todo", "wallet", "music"), names);
    int total = 0;
    for (App app : AppCatalog.INSTANCE.apps()) {
      JsonNode apis = t.ok("api_docs", "show_api_descriptions", "{\"app_name\":\"" + app.name() + "\"}");
      assertEquals(app.apis().size(), apis.size());
      total += apis.size();
      if (!app.name().equals("api_docs")) {
        assertTrue(apis.size() >= 5 && apis.size() <= 12, app.name() + " has " + apis.size());
      }
    }
    assertEquals(51, total);
    JsonNode doc = t.ok("api_docs", "show_api_doc", "{\"app_name\":\"wallet\",\"api_name\":\"send_money\"}");
    assertEquals("[{\"name\":\"access_token\",\"type\":\"string\",\"required\":true,\"description\":\"the token from "
        + "wallet.login\"},{\"name\":\"receiver_email\",\"type\":\"string\",\"required\":true,\"description\":\"the "
        + "receiver's email\"},{\"name\":\"amount\",\"type\":\"number\",\"required\":true,\"description\":\"amount in "
        + "dollars, e.g. 12.5\"},{\"name\":\"note\",\"type\":\"string\",\"required\":true,\"description\":\"what it is "
        + "for\"}]", doc.get("parameters").toString());
    StepResult missing = t.step("api_docs", "show_api_doc", "{\"app_name\":\"wallet\",\"api_name\":\"venmo\"}");
    assertEquals("not_found", missing.info().get("errorKind"));
  }

  @Test
  void listsArePagedFiveAtATime() {
    Turns t = Turns.of("miniappworld/train/delete_note/0-0");
    String token = t.login("notes");
    JsonNode first = t.ok("notes", "list_notes", "{\"access_token\":\"" + token + "\"}");
    assertEquals(0, first.get("page_index").asInt());
    assertEquals(5, first.get("items").size());
    assertTrue(first.get("has_more").asBoolean());
    assertFalse(first.get("items").get(0).has("body"), "list_notes shows no bodies");
    JsonNode second = t.ok("notes", "list_notes", "{\"access_token\":\"" + token + "\",\"page_index\":1}");
    assertEquals(4, second.get("items").size());
    assertFalse(second.get("has_more").asBoolean());
    assertEquals(6, second.get("items").get(0).get("note_id").asInt());
    JsonNode beyond = t.ok("notes", "list_notes", "{\"access_token\":\"" + token + "\",\"page_index\":7}");
    assertEquals(0, beyond.get("items").size());
    assertFalse(beyond.get("has_more").asBoolean());
    StepResult negative = t.step("notes", "list_notes", "{\"access_token\":\"" + token + "\",\"page_index\":-1}");
    assertEquals("error (rejected): page_index must be >= 0, got -1", negative.observation());
  }

  @Test
  void newestFirstListsPutTheTasksRequestOnTop() {
    Turns t = Turns.of("miniappworld/train/pay_request/0-0");
    String token = t.login("wallet");
    JsonNode pending = t.ok("wallet", "list_requests", "{\"access_token\":\"" + token
        + "\",\"direction\":\"incoming\",\"status\":\"pending\"}");
    assertEquals("Dinner at Luigi's", pending.get("items").get(0).get("note").asText());
    StepResult bad = t.step("wallet", "list_requests", "{\"access_token\":\"" + token + "\",\"status\":\"open\"}");
    assertEquals("error (rejected): status must be \"pending\", \"paid\" or \"declined\", got 'open'", bad.observation());
  }

  @Test
  void payingARequestTwiceIsRefused() {
    Turns t = Turns.of("miniappworld/train/pay_request/0-0");
    String token = t.login("wallet");
    long id = t.ok("wallet", "list_requests", "{\"access_token\":\"" + token + "\",\"status\":\"pending\"}")
        .get("items").get(0).get("request_id").asLong();
    double before = t.ok("wallet", "show_balance", "{\"access_token\":\"" + token + "\"}").get("balance").asDouble();
    t.ok("wallet", "pay_request", "{\"access_token\":\"" + token + "\",\"request_id\":" + id + "}");
    StepResult again = t.step("wallet", "pay_request", "{\"access_token\":\"" + token + "\",\"request_id\":" + id + "}");
    assertEquals("error (rejected): request " + id + " is already paid", again.observation());
    double after = t.ok("wallet", "show_balance", "{\"access_token\":\"" + token + "\"}").get("balance").asDouble();
    assertTrue(before > after);
  }

  @Test
  void renderShowsTheInstructionAndTheChanges() {
    Turns t = Turns.of("miniappworld/train/add_todo/0-0");
    String token = t.login("todo");
    t.ok("todo", "add_task", "{\"access_token\":\"" + token + "\",\"title\":\"Back up laptop photos\"}");
    String text = t.env.render();
    assertTrue(text.startsWith("Task miniappworld/train/add_todo/0-0 (difficulty 1, apps todo)\nAdd \"Back up laptop"
        + " photos\" to my to-do list, due on "), text);
    assertTrue(text.contains("Changes so far: 1\n  inserted todo.tasks #9"), text);
  }
}
