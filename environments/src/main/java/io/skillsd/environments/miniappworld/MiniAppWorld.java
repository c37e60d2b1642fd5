package io.skillsd.environments.miniappworld;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.TaskSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * MiniAppWorld: an AppWorld-style world of everyday apps, played one JSON tool call per turn and judged by
 * checks on the final database state (see {@code docs/MINIAPPWORLD.md}).
 *
 * <p>Each turn's info carries, besides the SPI's three flags: {@code turn}; {@code app}, {@code api} and
 * {@code args} (argument names) when the call parsed; {@code ok}; {@code errorKind} and {@code error} when it
 * failed ({@code reason} too when it was malformed); {@code truncated}. The last turn adds {@code endReason}
 * ({@code complete_task} or {@code turn_limit}), {@code evaluation} (check name → passed, in order),
 * {@code checksFailed}, {@code collateral}, {@code answer}, {@code status}, {@code completion} and
 * {@code tgcPassed}. The episode reward is the sum of format penalties plus 1 at the end if every check
 * passed.
 */
public final class MiniAppWorld implements Environment {

  public static final String NAME = "miniappworld";

  private static final String INSTRUCTIONS = """
      You complete everyday tasks for a user by calling the APIs of their apps: supervisor (the user's \
      profile, account passwords, payment cards, and complete_task), phone, notes, todo, wallet and music. \
      api_docs documents them: show_app_descriptions, show_api_descriptions(app_name) and \
      show_api_doc(app_name, api_name).
      Each turn, write exactly one tool call as a JSON object and nothing else:
      {"app": "<app>", "api": "<api>", "args": {"<name>": <value>, ...}}
      The observation is the JSON result or an error message. Apps other than supervisor and api_docs need an \
      access_token from <app>.login(username, password); your username is your email. Lists are paginated \
      (page_index from 0, 5 items a page, has_more tells if there is more). Change only what the task asks. \
      When done, call supervisor.complete_task, with answer="..." if the task asks a question. Malformed calls \
      cost a penalty.""";

  private final MiniAppWorldSettings settings;
  private final TaskCatalog catalog;
  private TaskSpec spec;
  private Session session;
  private int turn;
  private boolean done;
  private EvaluationReport report;

  public MiniAppWorld(MiniAppWorldSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.catalog = TaskCatalog.of(settings.seed());
  }

  public MiniAppWorldSettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String instructions() {
    return INSTRUCTIONS;
  }

  @Override
  public TaskSet tasks() {
    return catalog.taskSet();
  }

  /** The instruction of {@code task}, filled from the world. */
  public String instructionOf(Task task) {
    return spec(task).instruction();
  }

  /** The scenario a task belongs to: its template and draw, e.g. {@code miniappworld/train/add_todo/0}. */
  public static String scenarioOf(Task task) {
    return TaskCatalog.scenarioOf(task.id());
  }

  /** The task's template (e.g. {@code add_todo}): tasks of one template are solved by the same calls. */
  @Override
  public Optional<String> similarityKey(Task task) {
    return Optional.of(spec(task).template().name());
  }

  @Override
  public String reset(Task task) {
    spec = spec(task);
    session = new Session(spec.initial().copy(), catalog.world.supervisor(), task.seed());
    turn = 0;
    done = false;
    report = null;
    World.Person me = catalog.world.supervisor();
    return "Task: " + spec.instruction() + "\n"
        + "You act for " + me.fullName() + " (email " + me.email() + ", phone " + me.phone() + "). "
        + "Today is 2026-06-01. You have " + settings.maxTurns() + " turns; start by exploring the apps with "
        + "api_docs.";
  }

  @Override
  public StepResult step(String actionText) {
    if (session == null || done) {
      throw new IllegalStateException(session == null ? "call reset before step" : "the episode is over; call reset");
    }
    turn++;
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("turn", turn);
    double reward = 0;
    String observation;
    boolean valid;
    boolean effective = false;
    ToolCall.Parsed parsed = ToolCall.parse(Objects.requireNonNull(actionText, "actionText"));
    CallOutcome outcome;
    if (parsed instanceof ToolCall.Invalid invalid) {
      outcome = CallOutcome.error(invalid.kind(), invalid.message());
    } else {
      ToolCall call = ((ToolCall.Valid) parsed).call();
      info.put("app", call.app());
      info.put("api", call.api());
      info.put("args", List.copyOf(call.args().keySet()));
      outcome = AppCatalog.INSTANCE.dispatch(session, call);
    }
    if (outcome instanceof CallOutcome.Ok ok) {
      valid = true;
      effective = true;
      observation = ok.result().toString();
      info.put("ok", true);
    } else {
      CallOutcome.Failed failed = (CallOutcome.Failed) outcome;
      valid = !failed.kind().malformed();
      observation = "error (" + failed.kind().label() + "): " + failed.message();
      info.put("ok", false);
      info.put("errorKind", failed.kind().label());
      info.put("error", failed.message());
      if (!valid) {
        info.put("reason", failed.message());
        reward += settings.formatPenalty();
      }
    }
    boolean truncated = observation.length() > settings.observationMaxChars();
    if (truncated) {
      int cut = observation.length() - settings.observationMaxChars();
      observation = observation.substring(0, settings.observationMaxChars()) + "… [truncated " + cut
          + " characters; use page_index or a narrower query]";
    }
    info.put("truncated", truncated);
    String endReason = session.completed() ? "complete_task" : (turn >= settings.maxTurns() ? "turn_limit" : "");
    if (!endReason.isEmpty()) {
      done = true;
      report = spec.evaluation().evaluate(spec.initial(), session.db, session.answer());
      reward += report.passed() ? 1.0 : 0.0;
      if (endReason.equals("turn_limit")) {
        observation += "\n[turn limit of " + settings.maxTurns() + " reached; the episode is over]";
      }
      info.put("endReason", endReason);
      info.put("evaluation", Collections.unmodifiableMap(new LinkedHashMap<>(report.checks())));
      info.put("checksFailed", report.failed());
      info.put("collateral", report.collateral());
      info.put("answer", session.answer().orElse(""));
      info.put("status", session.status());
      info.put("completion", report.completion());
      info.put("tgcPassed", report.passed());
    }
    info.put(StepResult.SUCCESS, done && report.passed());
    info.put(StepResult.ACTION_VALID, valid);
    info.put(StepResult.ACTION_EFFECTIVE, effective);
    return new StepResult(observation, reward, done, new HashMap<>(info));
  }

  /** The evaluation of the finished episode; empty while it runs. */
  public Optional<EvaluationReport> report() {
    return Optional.ofNullable(report);
  }

  @Override
  public EpisodeMetrics metrics() {
    if (spec == null) {
      return new EpisodeMetrics(false, 0.0);
    }
    EvaluationReport r = report().orElseGet(() -> spec.evaluation().evaluate(spec.initial(), session.db, Optional.empty()));
    return new EpisodeMetrics(done && r.passed(), r.completion());
  }

  @Override
  public String render() {
    if (spec == null) {
      return "MiniAppWorld (seed " + settings.seed() + "): no episode; " + tasks().train().size() + " training and "
          + tasks().test().size() + " test tasks.";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("Task ").append(spec.task().id()).append(" (difficulty ").append(spec.task().difficulty())
        .append(", apps ").append(String.join(", ", spec.template().apps())).append(")\n");
    sb.append(spec.instruction()).append('\n');
    sb.append("Turn ").append(turn).append(" of ").append(settings.maxTurns())
        .append(done ? ", episode over" : "").append('\n');
    List<RowChange> changes = session.db.diffFrom(spec.initial());
    sb.append("State: ");
    List<String> counts = new ArrayList<>();
    for (String table : session.db.tableNames()) {
      counts.add(table + "=" + session.db.rows(table).size());
    }
    sb.append(String.join(", ", counts)).append('\n');
    sb.append("Changes so far: ").append(changes.size()).append('\n');
    changes.forEach(c -> sb.append("  ").append(c).append('\n'));
    if (report != null) {
      sb.append("Evaluation:\n").append(report.describe()).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  @Override
  public Optional<ReferenceAgent> referenceAgent() {
    return Optional.of(new ReferenceSolver());
  }

  TaskSpec spec(Task task) {
    TaskSpec s = catalog.spec(task.id()).orElseThrow(() -> new IllegalArgumentException("unknown miniappworld task '"
        + task.id() + "' for seed " + settings.seed()));
    if (!s.task().equals(task)) {
      throw new IllegalArgumentException("task " + task.id() + " does not match this world's task " + s.task());
    }
    return s;
  }
}
