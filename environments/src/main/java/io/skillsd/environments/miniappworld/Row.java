package io.skillsd.environments.miniappworld;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One database row: its id within its table and its fields, sorted by name. Field values are
 * {@code String}, {@code Long}, {@code Double} or {@code Boolean}; amounts of money are doubles rounded to
 * cents.
 */
public record Row(long id, Map<String, Object> fields) {
  public Row {
    Objects.requireNonNull(fields, "fields");
    TreeMap<String, Object> copy = new TreeMap<>();
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean)) {
        throw new IllegalArgumentException("field '" + e.getKey() + "' has unsupported value " + v);
      }
      copy.put(e.getKey(), v);
    }
    fields = Collections.unmodifiableMap(copy);
  }

  public String string(String field) {
    return (String) require(field);
  }

  public long integer(String field) {
    return (Long) require(field);
  }

  public double number(String field) {
    return ((Number) require(field)).doubleValue();
  }

  public boolean bool(String field) {
    return (Boolean) require(field);
  }

  /** This row with {@code changes} applied over its fields. */
  public Row with(Map<String, Object> changes) {
    TreeMap<String, Object> merged = new TreeMap<>(fields);
    merged.putAll(changes);
    return new Row(id, merged);
  }

  private Object require(String field) {
    Object v = fields.get(field);
    if (v == null) {
      throw new IllegalStateException("row " + id + " has no field '" + field + "': " + fields);
    }
    return v;
  }
}
