package io.skillsd.environments.miniappworld;

import java.util.Objects;
import java.util.Optional;

/**
 * One row-level difference between two database states.
 *
 * @param table the table, e.g. {@code wallet.payments}
 * @param kind inserted, updated or deleted
 * @param before the row before (absent for an insert)
 * @param after the row after (absent for a delete)
 */
public record RowChange(String table, Kind kind, Optional<Row> before, Optional<Row> after) {

  /** What happened to the row. */
  public enum Kind {
    INSERTED,
    UPDATED,
    DELETED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public RowChange {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(kind, "kind");
    boolean shapeOk = switch (kind) {
      case INSERTED -> before.isEmpty() && after.isPresent();
      case UPDATED -> before.isPresent() && after.isPresent();
      case DELETED -> before.isPresent() && after.isEmpty();
    };
    if (!shapeOk) {
      throw new IllegalArgumentException(kind + " change of " + table + " has before=" + before + " after=" + after);
    }
  }

  /** The id of the changed row. */
  public long id() {
    return after.or(() -> before).orElseThrow().id();
  }

  /** The row as it is after the change, or before it for a delete. */
  public Row row() {
    return after.or(() -> before).orElseThrow();
  }

  @Override
  public String toString() {
    return kind.label() + " " + table + " #" + id() + " " + row().fields();
  }
}
