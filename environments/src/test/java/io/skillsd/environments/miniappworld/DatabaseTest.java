package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseTest {

  private static Database base() {
    Database db = new Database();
    db.createTable("notes.notes", "note_id");
    db.createTable("todo.tasks", "task_id");
    db.insert("notes.notes", Map.of("title", "a"));
    db.insert("notes.notes", Map.of("title", "b"));
    db.insert("todo.tasks", Map.of("title", "t", "done", false));
    return db;
  }

  @Test
  void copiesAreIndependentInBothDirections() {
    Database original = base();
    Database copy = original.copy();
    copy.delete("notes.notes", 1);
    original.update("notes.notes", 2, Map.of("title", "B"));
    original.insert("todo.tasks", Map.of("title", "u", "done", true));
    assertEquals(List.of(new Row(2, Map.of("title", "b"))), copy.rows("notes.notes"));
    assertEquals(2, original.rows("notes.notes").size());
    assertEquals(1, copy.rows("todo.tasks").size());
    Database again = copy.copy();
    again.insert("notes.notes", Map.of("title", "c"));
    assertEquals(1, copy.rows("notes.notes").size());
  }

  @Test
  void theDiffListsInsertsUpdatesAndDeletesByTableAndId() {
    Database before = base();
    Database after = before.copy();
    after.insert("notes.notes", Map.of("title", "c"));
    after.update("todo.tasks", 1, Map.of("done", true));
    after.delete("notes.notes", 1);
    after.update("notes.notes", 2, Map.of("title", "b"));
    List<String> diff = after.diffFrom(before).stream().map(RowChange::toString).toList();
    assertEquals(List.of("deleted notes.notes #1 {title=a}", "inserted notes.notes #3 {title=c}",
        "updated todo.tasks #1 {done=true, title=t}"), diff);
    assertEquals(List.of(), before.copy().diffFrom(before));
    assertEquals(before.fingerprint(), before.copy().fingerprint());
  }
}
