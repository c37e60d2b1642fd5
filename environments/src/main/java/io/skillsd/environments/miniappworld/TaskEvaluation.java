package io.skillsd.environments.miniappworld;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The hidden checks of one task, run on the state diff when the episode ends:
 * <ol>
 *   <li>{@code answer}: when the task asks a question, the answer given to {@code supervisor.complete_task}
 *       equals the expected one after {@link #normalize(String)};</li>
 *   <li>one check per required change: some row change in the diff matches the {@link Expectation}; each
 *       change satisfies at most one requirement, so paying twice does not count as paying two people, and a
 *       requirement may name the row an earlier one claimed ({@link Expectation.Ref});</li>
 *   <li>{@code no collateral damage}: every change in the diff is claimed by a requirement or matches an
 *       allowed change.</li>
 * </ol>
 *
 * @param answer the expected answer, if the task asks one
 * @param required the changes the task must make
 * @param allowed further changes that are acceptable side effects
 */
public record TaskEvaluation(Optional<String> answer, List<Expectation> required, List<Expectation> allowed) {

  public static final String ANSWER = "answer";
  public static final String NO_COLLATERAL = "no collateral damage";

  public TaskEvaluation {
    Objects.requireNonNull(answer, "answer");
    required = List.copyOf(required);
    allowed = List.copyOf(allowed);
    if (answer.isEmpty() && required.isEmpty()) {
      throw new IllegalArgumentException("a task must ask for an answer or for changes");
    }
    for (int i = 0; i < required.size(); i++) {
      for (Object v : required.get(i).fields().values()) {
        if (v instanceof Expectation.Ref ref && ref.check() >= i) {
          throw new IllegalArgumentException("check " + i + " refers to check " + ref.check() + ", which is not earlier");
        }
      }
    }
  }

  /** Runs every check on the change from {@code initial} to {@code last}. */
  public EvaluationReport evaluate(Database initial, Database last, Optional<String> given) {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    answer.ifPresent(a -> checks.put(ANSWER, given.map(g -> normalize(g).equals(normalize(a))).orElse(false)));
    List<RowChange> unclaimed = new ArrayList<>(last.diffFrom(initial));
    List<Optional<RowChange>> claimed = new ArrayList<>();
    for (Expectation e : required) {
      Optional<RowChange> hit = unclaimed.stream().filter(c -> e.matches(c, claimed)).findFirst();
      hit.ifPresent(unclaimed::remove);
      claimed.add(hit);
      checks.merge(e.label(), hit.isPresent(), Boolean::logicalAnd);
    }
    List<String> collateral = unclaimed.stream().filter(c -> allowed.stream().noneMatch(a -> a.matches(c, claimed)))
        .map(RowChange::toString).toList();
    checks.put(NO_COLLATERAL, collateral.isEmpty());
    return new EvaluationReport(checks, collateral, given);
  }

  /**
   * Lower case, inner whitespace collapsed, a trailing period and a leading {@code $} dropped, and numbers
   * written canonically ({@code "12.50"} and {@code "12.5"} agree).
   */
  public static String normalize(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (s.startsWith("$")) {
      s = s.substring(1).strip();
    }
    if (s.matches("-?\\d+(\\.\\d+)?")) {
      return new BigDecimal(s).stripTrailingZeros().toPlainString();
    }
    return s;
  }
}
