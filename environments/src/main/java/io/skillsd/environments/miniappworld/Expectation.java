package io.skillsd.environments.miniappworld;

import java.util.Collections;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A row-level assertion on the diff between a task's initial and final state: a change of {@code kind} in
 * {@code table}, to row {@code id} when given, whose row (after the change; before it for a delete) has the
 * given field values. Strings compare trimmed and case-insensitively, numbers to the cent. An update matches
 * only if every field it changed is one the expectation names, so an update that also rewrites other fields
 * is not accepted as the required one.
 *
 * @param label how evaluation reports name this check
 * @param table the table
 * @param kind inserted, updated or deleted
 * @param id the row id, when the row exists before the episode
 * @param fields field values the row must have, kept sorted by name; a {@link Ref} stands for the id of
 *     the row an earlier check claimed
 */
public record Expectation(String label, String table, RowChange.Kind kind, OptionalLong id, Map<String, Object> fields) {

  public Expectation {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    fields = Collections.unmodifiableMap(new TreeMap<>(fields));
  }

  static Expectation inserted(String table, Map<String, Object> fields) {
    return new Expectation("inserted " + table + " " + new TreeMap<>(fields), table, RowChange.Kind.INSERTED, OptionalLong.empty(), fields);
  }

  static Expectation updated(String table, long id, Map<String, Object> fields) {
    return new Expectation("updated " + table + " #" + id + " " + new TreeMap<>(fields), table, RowChange.Kind.UPDATED, OptionalLong.of(id), fields);
  }

  static Expectation deleted(String table, long id) {
    return new Expectation("deleted " + table + " #" + id, table, RowChange.Kind.DELETED, OptionalLong.of(id), Map.of());
  }

  /** A change that any update of {@code table} may make (e.g. the wallet balance moving with a payment). */
  static Expectation anyUpdate(String table) {
    return new Expectation("any update of " + table, table, RowChange.Kind.UPDATED, OptionalLong.empty(), Map.of());
  }

  /**
   * A field value that is the id of the row another check claimed: {@code required.get(check)} of the same
   * evaluation, which must come earlier (e.g. the new playlist a playlist entry must point to).
   *
   * @param check the index of that check among the required ones
   * @param description how labels name it, e.g. {@code the new playlist}
   */
  public record Ref(int check, String description) {
    public Ref {
      if (check < 0) {
        throw new IllegalArgumentException("check must be >= 0, was " + check);
      }
      java.util.Objects.requireNonNull(description, "description");
    }

    @Override
    public String toString() {
      return "<" + description + ">";
    }
  }

  /** Whether {@code change} satisfies this expectation; it must use no {@link Ref}. */
  public boolean matches(RowChange change) {
    return matches(change, List.of());
  }

  /**
   * Whether {@code change} satisfies this expectation, resolving each {@link Ref} through {@code claimed}: the
   * change each earlier required check claimed, empty where it claimed none (a {@link Ref} to it never matches).
   */
  public boolean matches(RowChange change, List<Optional<RowChange>> claimed) {
    if (!change.table().equals(table) || change.kind() != kind) {
      return false;
    }
    if (id.isPresent() && id.getAsLong() != change.id()) {
      return false;
    }
    Row row = change.row();
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      Object expected = e.getValue();
      if (expected instanceof Ref ref) {
        if (ref.check() >= claimed.size() || claimed.get(ref.check()).isEmpty()) {
          return false;
        }
        expected = claimed.get(ref.check()).get().id();
      }
      if (!sameValue(row.fields().get(e.getKey()), expected)) {
        return false;
      }
    }
    if (kind == RowChange.Kind.UPDATED && !fields.isEmpty()) {
      Row before = change.before().orElseThrow();
      for (Map.Entry<String, Object> e : row.fields().entrySet()) {
        if (!e.getValue().equals(before.fields().get(e.getKey())) && !fields.containsKey(e.getKey())) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean sameValue(Object actual, Object expected) {
    if (actual == null) {
      return false;
    }
    if (actual instanceof Number a && expected instanceof Number b) {
      return Math.abs(a.doubleValue() - b.doubleValue()) < 0.005;
    }
    if (actual instanceof String a && expected instanceof String b) {
      return a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }
    return actual.equals(expected);
  }
}
