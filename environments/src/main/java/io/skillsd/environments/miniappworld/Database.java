package io.skillsd.environments.miniappworld;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The world's state: named tables of {@link Row}s keyed by id. Rows are immutable and tables are copied on
 * first write, so {@link #copy()} costs one map per table and every episode works on its own copy;
 * {@link #diffFrom(Database)} gives the row-level changes that state-based evaluation checks, skipping the
 * tables neither side has written since they shared them. Not thread-safe: one episode owns one copy, and a
 * database that has been copied is only read concurrently.
 */
public final class Database {

  private final TreeMap<String, TreeMap<Long, Row>> tables;
  private final TreeMap<String, String> idFields;
  private final TreeMap<String, Long> nextIds;
  /** Tables this instance may write in place: those it created or has copied since sharing them. */
  private final Set<String> owned = new HashSet<>();

  public Database() {
    this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  }

  private Database(TreeMap<String, TreeMap<Long, Row>> tables, TreeMap<String, String> idFields,
      TreeMap<String, Long> nextIds) {
    this.tables = tables;
    this.idFields = idFields;
    this.nextIds = nextIds;
  }

  /** Declares {@code table}, whose ids appear to the agent under {@code idField} (e.g. {@code note_id}). */
  public void createTable(String table, String idField) {
    if (tables.containsKey(table)) {
      throw new IllegalStateException("table " + table + " exists");
    }
    tables.put(table, new TreeMap<>());
    owned.add(table);
    idFields.put(table, idField);
    nextIds.put(table, 1L);
  }

  public String idField(String table) {
    check(table);
    return idFields.get(table);
  }

  /** Inserts a row with the next id of {@code table} and returns it. */
  public Row insert(String table, Map<String, Object> fields) {
    TreeMap<Long, Row> rows = writable(table);
    long id = nextIds.get(table);
    nextIds.put(table, id + 1);
    Row row = new Row(id, fields);
    rows.put(id, row);
    return row;
  }

  /** Applies {@code changes} to row {@code id} and returns the new row. */
  public Row update(String table, long id, Map<String, Object> changes) {
    TreeMap<Long, Row> rows = writable(table);
    Row row = find(table, id).orElseThrow(() -> new IllegalStateException("no row " + id + " in " + table));
    Row updated = row.with(changes);
    rows.put(id, updated);
    return updated;
  }

  public void delete(String table, long id) {
    if (writable(table).remove(id) == null) {
      throw new IllegalStateException("no row " + id + " in " + table);
    }
  }

  public Optional<Row> find(String table, long id) {
    return Optional.ofNullable(check(table).get(id));
  }

  /** The rows of {@code table} in id order. */
  public List<Row> rows(String table) {
    return List.copyOf(check(table).values());
  }

  public List<String> tableNames() {
    return List.copyOf(tables.keySet());
  }

  /**
   * An independent copy. Both sides share every table until either writes to it. Copying a database that
   * owns no table (e.g. a copy nobody has written) does not touch it, so threads may copy it concurrently.
   */
  public Database copy() {
    if (!owned.isEmpty()) {
      owned.clear();
    }
    return new Database(new TreeMap<>(tables), new TreeMap<>(idFields), new TreeMap<>(nextIds));
  }

  /** The row-level changes that turn {@code before} into this state, by table and id. */
  public List<RowChange> diffFrom(Database before) {
    List<RowChange> changes = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(tables.keySet());
    names.addAll(before.tables.keySet());
    for (String table : names) {
      TreeMap<Long, Row> old = before.tables.getOrDefault(table, new TreeMap<>());
      TreeMap<Long, Row> now = tables.getOrDefault(table, new TreeMap<>());
      if (old == now) {
        continue;
      }
      TreeSet<Long> ids = new TreeSet<>(old.keySet());
      ids.addAll(now.keySet());
      for (long id : ids) {
        Row a = old.get(id);
        Row b = now.get(id);
        if (a == null) {
          changes.add(new RowChange(table, RowChange.Kind.INSERTED, Optional.empty(), Optional.of(b)));
        } else if (b == null) {
          changes.add(new RowChange(table, RowChange.Kind.DELETED, Optional.of(a), Optional.empty()));
        } else if (!a.equals(b)) {
          changes.add(new RowChange(table, RowChange.Kind.UPDATED, Optional.of(a), Optional.of(b)));
        }
      }
    }
    return changes;
  }

  /** A SHA-256 over every table, id and field: equal states have equal fingerprints. */
  public String fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      tables.forEach((name, rows) -> {
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        rows.values().forEach(r -> digest.update((r.id() + "=" + r.fields() + ";").getBytes(StandardCharsets.UTF_8)));
      });
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  private TreeMap<Long, Row> writable(String table) {
    TreeMap<Long, Row> rows = check(table);
    if (owned.add(table)) {
      rows = new TreeMap<>(rows);
      tables.put(table, rows);
    }
    return rows;
  }

  private TreeMap<Long, Row> check(String table) {
    TreeMap<Long, Row> rows = tables.get(table);
    if (rows == null) {
      throw new IllegalStateException("no table " + table + " (tables: " + tables.keySet() + ")");
    }
    return rows;
  }
}
