package io.skillsd.environments.miniappworld;

import io.skillsd.environments.StepResult;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The analyst's view of one MiniAppWorld trajectory, for the skill summarizer: every API call made, every
 * error hit with its text, the sequence of successful calls, and how the episode was judged. Built from the
 * public trajectory alone (the step info), so it works on trajectories read back from disk.
 *
 * @param taskId the task
 * @param instruction the task's instruction (from the first line of the first observation)
 * @param calls every turn's call in order
 * @param errors the failed turns, with their error text
 * @param successfulSequence {@code app.api(arg, …)} of each successful call, in order
 * @param success whether every check passed
 * @param completion passed checks over all checks
 * @param failedChecks the checks that failed, by name (empty when the episode did not end)
 * @param answer the answer given to complete_task, if any
 */
public record AppWorldAnalysis(String taskId, String instruction, List<ApiCall> calls, List<ApiFailure> errors,
    List<String> successfulSequence, boolean success, double completion, List<String> failedChecks,
    Optional<String> answer) {

  public AppWorldAnalysis {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(instruction, "instruction");
    calls = List.copyOf(calls);
    errors = List.copyOf(errors);
    successfulSequence = List.copyOf(successfulSequence);
    failedChecks = List.copyOf(failedChecks);
    Objects.requireNonNull(answer, "answer");
  }

  /**
   * One turn's call.
   *
   * @param turn 1-based turn
   * @param api {@code app.api}, or {@code (malformed)} when the text did not parse as a call
   * @param ok whether it succeeded
   */
  public record ApiCall(int turn, String api, boolean ok) {
    public ApiCall {
      Objects.requireNonNull(api, "api");
    }
  }

  /**
   * One failed turn.
   *
   * @param turn 1-based turn
   * @param api {@code app.api}, or {@code (malformed)}
   * @param kind the {@link ErrorKind} label, e.g. {@code missing_argument}
   * @param message the error text the agent saw
   */
  public record ApiFailure(int turn, String api, String kind, String message) {
    public ApiFailure {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Analyses a MiniAppWorld trajectory. */
  public static AppWorldAnalysis of(Trajectory trajectory) {
    if (!trajectory.environment().equals(MiniAppWorld.NAME)) {
      throw new IllegalArgumentException("not a miniappworld trajectory: " + trajectory.environment());
    }
    List<ApiCall> calls = new ArrayList<>();
    List<ApiFailure> errors = new ArrayList<>();
    List<String> sequence = new ArrayList<>();
    List<String> failed = List.of();
    Optional<String> answer = Optional.empty();
    int turn = 0;
    for (Trajectory.Turn t : trajectory.turns()) {
      turn++;
      Map<String, Object> info = t.result().info();
      String api = info.containsKey("app") ? info.get("app") + "." + info.get("api") : "(malformed)";
      boolean ok = Boolean.TRUE.equals(info.get("ok"));
      calls.add(new ApiCall(turn, api, ok));
      if (ok) {
        Object args = info.getOrDefault("args", List.of());
        List<String> names = new ArrayList<>();
        for (Object a : (List<?>) args) {
          names.add(String.valueOf(a));
        }
        sequence.add(api + "(" + String.join(", ", names) + ")");
      } else {
        errors.add(new ApiFailure(turn, api, String.valueOf(info.getOrDefault("errorKind", "unknown")),
            String.valueOf(info.getOrDefault("error", t.result().observation()))));
      }
      if (info.get("checksFailed") instanceof List<?> list) {
        failed = list.stream().map(String::valueOf).toList();
      }
      if (info.get("answer") instanceof String a && !a.isEmpty()) {
        answer = Optional.of(a);
      }
    }
    String first = trajectory.firstObservation();
    int newline = first.indexOf('\n');
    String instruction = newline < 0 ? first : first.substring(0, newline);
    if (instruction.startsWith("Task: ")) {
      instruction = instruction.substring("Task: ".length());
    }
    return new AppWorldAnalysis(trajectory.task().id(), instruction, calls, errors, sequence,
        trajectory.metrics().success(), trajectory.metrics().completion(), failed, answer);
  }

  /** A plain-text report, the summarizer's input. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("Task ").append(taskId).append(": ").append(instruction).append('\n');
    sb.append("Outcome: ").append(success ? "success" : "failure").append(String.format(java.util.Locale.ROOT,
        ", completion %.2f", completion));
    answer.ifPresent(a -> sb.append(", answer \"").append(a).append('"'));
    sb.append('\n');
    if (!failedChecks.isEmpty()) {
      sb.append("Failed checks:\n");
      failedChecks.forEach(c -> sb.append("- ").append(c).append('\n'));
    }
    sb.append("API calls (").append(calls.size()).append(", ").append(errors.size()).append(" failed):\n");
    for (ApiCall c : calls) {
      sb.append(c.turn()).append(". ").append(c.api()).append(c.ok() ? "" : " -> error").append('\n');
    }
    if (!errors.isEmpty()) {
      sb.append("Errors:\n");
      for (ApiFailure e : errors) {
        sb.append("- turn ").append(e.turn()).append(' ').append(e.api()).append(" [").append(e.kind()).append("] ")
            .append(e.message()).append('\n');
      }
    }
    sb.append("Successful call sequence:\n");
    successfulSequence.forEach(s -> sb.append("- ").append(s).append('\n'));
    return sb.toString().stripTrailing();
  }
}
