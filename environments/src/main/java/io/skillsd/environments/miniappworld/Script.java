package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference agent's view of an episode, written as straight-line code. A recipe calls
 * {@link #call(String, String, Object...)} as if the call returned its result; underneath, the recipe is
 * replayed from the start on every turn against the observations received so far, and the first call
 * without an observation becomes the next action. So a recipe can only use what observations told it:
 * ids, tokens and emails come from results, never from the world's internals.
 */
final class Script {

  /** Thrown to stop a replay at the first call that has no observation yet. */
  static final class NextCall extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ToolCall call;

    NextCall(ToolCall call) {
      super(null, null, false, false);
      this.call = call;
    }
  }

  private final List<JsonNode> observations;
  private final Map<String, Object> memo = new HashMap<>();
  private int cursor;

  Script(List<JsonNode> observations) {
    this.observations = observations;
  }

  /** Calls {@code app.api} with alternating argument names and values and returns its JSON result. */
  JsonNode call(String app, String api, Object... nameValues) {
    ObjectNode args = ToolCall.MAPPER.createObjectNode();
    for (int i = 0; i < nameValues.length; i += 2) {
      args.set((String) nameValues[i], ToolCall.MAPPER.valueToTree(nameValues[i + 1]));
    }
    Map<String, JsonNode> map = new java.util.LinkedHashMap<>();
    args.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
    ToolCall call = new ToolCall(app, api, map);
    if (cursor < observations.size()) {
      return observations.get(cursor++);
    }
    throw new NextCall(call);
  }

  /** Reads the API list of {@code app} once, then logs in with the supervisor's email and password. */
  String login(String app) {
    String key = "token:" + app;
    if (!memo.containsKey(key)) {
      call("api_docs", "show_api_descriptions", "app_name", app);
      String email = profile().get("email").asText();
      String password = null;
      for (JsonNode account : passwords()) {
        if (account.get("account_name").asText().equals(app)) {
          password = account.get("password").asText();
        }
      }
      if (password == null) {
        throw new IllegalStateException("no password for " + app + " in " + passwords());
      }
      memo.put(key, call(app, "login", "username", email, "password", password).get("access_token").asText());
    }
    return (String) memo.get(key);
  }

  /** Every item of a paginated API, reading pages until {@code has_more} is false. */
  List<JsonNode> pages(String app, String api, Object... nameValues) {
    List<JsonNode> items = new ArrayList<>();
    for (int page = 0; ; page++) {
      Object[] args = java.util.Arrays.copyOf(nameValues, nameValues.length + 2);
      args[nameValues.length] = "page_index";
      args[nameValues.length + 1] = page;
      JsonNode result = call(app, api, args);
      result.get("items").forEach(items::add);
      if (!result.get("has_more").asBoolean()) {
        return items;
      }
    }
  }

  /** The first item of page 0 of a search, failing loudly when there is none. */
  JsonNode first(String app, String api, Object... nameValues) {
    JsonNode items = call(app, api, nameValues).get("items");
    if (items.isEmpty()) {
      throw new IllegalStateException(app + "." + api + " found nothing for " + java.util.Arrays.toString(nameValues));
    }
    return items.get(0);
  }

  void complete() {
    call("supervisor", "complete_task", "status", "success");
  }

  void complete(String answer) {
    call("supervisor", "complete_task", "answer", answer, "status", "success");
  }

  private JsonNode profile() {
    return (JsonNode) memo.computeIfAbsent("profile", k -> call("supervisor", "show_profile"));
  }

  private JsonNode passwords() {
    return (JsonNode) memo.computeIfAbsent("passwords", k -> call("supervisor", "show_account_passwords"));
  }
}
