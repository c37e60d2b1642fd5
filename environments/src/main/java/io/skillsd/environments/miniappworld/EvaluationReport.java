package io.skillsd.environments.miniappworld;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a task's checks.
 *
 * @param checks each check, by name, in evaluation order, and whether it passed
 * @param collateral the unexpected changes, described, when the collateral check failed
 * @param answer the answer the agent gave, if any
 */
public record EvaluationReport(Map<String, Boolean> checks, List<String> collateral, Optional<String> answer) {

  public EvaluationReport {
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    collateral = List.copyOf(collateral);
    Objects.requireNonNull(answer, "answer");
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("a report needs checks");
    }
  }

  /** All checks passed: the task goal is complete. */
  public boolean passed() {
    return checks.values().stream().allMatch(b -> b);
  }

  /** Passed checks over all checks. */
  public double completion() {
    return checks.values().stream().filter(b -> b).count() / (double) checks.size();
  }

  /** The names of the checks that failed, in order. */
  public List<String> failed() {
    return checks.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  /** One line per check, then the unexpected changes. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    checks.forEach((k, v) -> sb.append(v ? "PASS " : "FAIL ").append(k).append('\n'));
    collateral.forEach(c -> sb.append("  unexpected: ").append(c).append('\n'));
    return sb.toString().stripTrailing();
  }
}
