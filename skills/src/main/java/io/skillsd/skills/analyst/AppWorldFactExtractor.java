package io.skillsd.skills.analyst;

import io.skillsd.environments.Trajectory;
import io.skillsd.environments.miniappworld.AppWorldAnalysis;
import io.skillsd.environments.miniappworld.AppWorldAnalysis.ApiFailure;
import io.skillsd.skills.analyst.TrajectoryFacts.Event;
import io.skillsd.skills.analyst.TrajectoryFacts.Kind;
import io.skillsd.skills.analyst.TrajectoryFacts.Step;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * MiniAppWorld's facts, from {@link AppWorldAnalysis}: the API sequence that worked, the errors hit and why.
 *
 * <ul>
 *   <li><b>Workflow</b>: every successful call in order, as {@code app.api(argument names)}, consecutive
 *       repeats merged — when solved this is the whole solution, otherwise the calls that worked.
 *   <li><b>Events</b>: the generic events of turns that succeeded (progress, no effect) are kept; each failed
 *       call becomes one event naming the API, the error kind and the error text the agent saw — an
 *       {@code INVALID_ACTION} when the text was not a tool call at all ({@code invalid_json},
 *       {@code bad_shape}), an {@code ERROR} for API misuse or a refusal by the world (unknown app or API,
 *       missing, mistyped or unknown argument, authentication required, not found, rejected).
 *   <li><b>Lessons</b>: one per distinct cause, saying what to do instead (log in to the app first, look the
 *       API up in {@code api_docs}, pass exactly the documented arguments, …), and the checks the final state
 *       failed.
 * </ul>
 */
public final class AppWorldFactExtractor implements FactExtractor {

  /** The environment's registry name, under which {@link AnalystSummarizer} uses this extractor. */
  public static final String ENVIRONMENT = "miniappworld";

  private static final int MAX_MESSAGE_CHARS = 160;
  private static final String MALFORMED = "(malformed)";

  private final GenericFactExtractor generic = new GenericFactExtractor();

  @Override
  public TrajectoryFacts extract(Trajectory trajectory) {
    TrajectoryFacts base = generic.extract(trajectory);
    AppWorldAnalysis analysis = AppWorldAnalysis.of(trajectory);
    Set<Integer> failedTurns = new LinkedHashSet<>();
    List<Event> errors = new ArrayList<>();
    for (ApiFailure f : analysis.errors()) {
      failedTurns.add(f.turn());
      errors.add(event(f));
    }
    List<Event> kept = base.events().stream().filter(e -> !failedTurns.contains(e.turn())).toList();
    TrajectoryFacts facts = new TrajectoryFacts(base.environment(), base.taskId(), base.outcome(), base.completion(),
        base.totalReward(), base.turns(), workflow(analysis.successfulSequence()), kept, base.lessons());
    return facts.withEvents(errors).withLessons(lessons(analysis));
  }

  private static Event event(ApiFailure f) {
    boolean notACall = f.kind().equals("invalid_json") || f.kind().equals("bad_shape");
    String action = f.api().equals(MALFORMED) ? "a malformed call" : f.api();
    return new Event(f.turn(), action, notACall ? Kind.INVALID_ACTION : Kind.ERROR,
        f.kind() + ": " + clip(firstSentence(f.message())));
  }

  private static List<Step> workflow(List<String> calls) {
    List<Step> steps = new ArrayList<>();
    for (String call : calls) {
      int last = steps.size() - 1;
      if (last >= 0 && steps.get(last).action().equals(call)) {
        steps.set(last, new Step(call, steps.get(last).repeats() + 1));
      } else {
        steps.add(new Step(call, 1));
      }
    }
    return steps;
  }

  /** One lesson per distinct (kind, API) cause, in the order first hit, then the failed checks. */
  private static List<String> lessons(AppWorldAnalysis analysis) {
    Set<String> out = new LinkedHashSet<>();
    for (ApiFailure f : analysis.errors()) {
      String app = f.api().contains(".") ? f.api().substring(0, f.api().indexOf('.')) : "";
      String lesson = switch (f.kind()) {
        case "invalid_json", "bad_shape" ->
            "Write each action as exactly one JSON tool call {\"app\": …, \"api\": …, \"args\": {…}}.";
        case "unknown_app" -> "Use only the apps api_docs.show_app_descriptions lists (" + f.api()
            + " is not one).";
        case "unknown_api" -> "Look the API up with api_docs.show_api_descriptions(app_name) before calling it; "
            + f.api() + " does not exist.";
        case "missing_argument", "mistyped_argument", "unknown_argument" -> "Call " + f.api()
            + " with exactly the arguments and types api_docs.show_api_doc(app_name, api_name) documents.";
        case "auth_required" -> "Log in first: " + app + ".login(username, password) with the password from "
            + "supervisor.show_account_passwords, then pass its access_token to " + f.api() + ".";
        case "not_found" -> "Look up exact names and ids with a search API before using them in " + f.api() + ".";
        case "rejected" -> f.api() + " refuses requests that break its rules: " + clip(firstSentence(f.message()))
            + ".";
        default -> "Avoid the error " + f.api() + " hit: " + clip(firstSentence(f.message())) + ".";
      };
      out.add(lesson);
    }
    if (!analysis.failedChecks().isEmpty()) {
      out.add("The final state failed these checks: " + String.join("; ", analysis.failedChecks()) + ".");
    }
    return List.copyOf(out);
  }

  private static String firstSentence(String message) {
    String m = message.strip();
    int end = m.indexOf(". ");
    m = end > 0 ? m.substring(0, end) : m;
    return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
  }

  private static String clip(String text) {
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
  }
}
