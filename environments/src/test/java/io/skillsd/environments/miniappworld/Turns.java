package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;

/** Test driver: plays single tool calls into a MiniAppWorld episode and reads results back. */
final class Turns {

  final MiniAppWorld env;

  Turns(MiniAppWorld env, String taskId) {
    this.env = env;
    Task task = env.tasks().byId(taskId).orElseThrow();
    env.reset(task);
  }

  static Turns of(String taskId) {
    return new Turns(new MiniAppWorld(MiniAppWorldSettings.DEFAULTS), taskId);
  }

  StepResult step(String app, String api, String argsJson) {
    return env.step("{\"app\":\"" + app + "\",\"api\":\"" + api + "\",\"args\":" + argsJson + "}");
  }

  /** Runs a call that must succeed and returns its JSON result. */
  JsonNode ok(String app, String api, String argsJson) {
    StepResult r = step(app, api, argsJson);
    if (!Boolean.TRUE.equals(r.info().get("ok"))) {
      throw new AssertionError(app + "." + api + " failed: " + r.observation());
    }
    try {
      return ToolCall.MAPPER.readTree(r.observation());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.observation(), e);
    }
  }

  /** Logs in to {@code app} with the supervisor's credentials, read through the APIs. */
  String login(String app) {
    String email = ok("supervisor", "show_profile", "{}").get("email").asText();
    String password = "";
    for (JsonNode a : ok("supervisor", "show_account_passwords", "{}")) {
      if (a.get("account_name").asText().equals(app)) {
        password = a.get("password").asText();
      }
    }
    return ok(app, "login", "{\"username\":\"" + email + "\",\"password\":\"" + password + "\"}")
        .get("access_token").asText();
  }
}
