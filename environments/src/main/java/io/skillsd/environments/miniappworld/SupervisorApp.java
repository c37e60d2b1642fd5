package io.skillsd.environments.miniappworld;

import static io.skillsd.environments.miniappworld.ApiSpec.Param.optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Optional;

/** {@code supervisor}: the user's profile, addresses, account passwords, payment cards, and task completion. */
final class SupervisorApp {

  private SupervisorApp() {}

  static App app() {
    return new App("supervisor", "Your own profile, addresses, app account passwords and payment cards; "
        + "complete_task ends the task.", List.of(
        new ApiSpec("supervisor", "show_profile", "Show your name, email (your username in every app), phone "
            + "number and birthday.", List.of(), false, "object", c -> c.json("supervisor.profile",
            c.db().rows("supervisor.profile").get(0))),
        new ApiSpec("supervisor", "show_addresses", "List your saved addresses.", List.of(), false, "array",
            c -> all(c, "supervisor.addresses")),
        new ApiSpec("supervisor", "show_account_passwords", "List the password of each app account; log in "
            + "with your email as the username.", List.of(), false, "array",
            c -> all(c, "supervisor.account_passwords")),
        new ApiSpec("supervisor", "show_payment_cards", "List your payment cards.", List.of(), false, "array",
            c -> all(c, "supervisor.payment_cards")),
        new ApiSpec("supervisor", "complete_task", "Finish the task. Pass the answer when the task asks a "
            + "question; pass status \"fail\" if the task cannot be done. Ends the episode.",
            List.of(optional("answer", ApiSpec.ParamType.SCALAR, "the answer, when the task asks for one"),
                optional("status", ApiSpec.ParamType.STRING, "\"success\" (default) or \"fail\"")),
            false, "object", SupervisorApp::complete)));
  }

  private static ArrayNode all(Call c, String table) {
    ArrayNode array = Call.JSON.arrayNode();
    c.select(table, r -> true).forEach(array::add);
    return array;
  }

  private static com.fasterxml.jackson.databind.JsonNode complete(Call c) throws ApiError {
    String status = c.optionalString("status").orElse("success");
    if (!status.equals("success") && !status.equals("fail")) {
      throw ApiError.rejected("status must be \"success\" or \"fail\", got \"" + status + "\"");
    }
    Optional<String> answer = c.optionalString("answer");
    c.session.complete(answer, status);
    return Call.message("Task marked as complete with status " + status
        + answer.map(a -> " and answer \"" + a + "\"").orElse("") + ".");
  }
}
