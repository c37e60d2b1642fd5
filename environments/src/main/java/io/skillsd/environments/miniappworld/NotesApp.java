package io.skillsd.environments.miniappworld;

import static io.skillsd.environments.miniappworld.ApiSpec.Param.optional;
import static io.skillsd.environments.miniappworld.ApiSpec.Param.required;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.INTEGER;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code notes}: titled plain-text notes. */
final class NotesApp {

  private static final String NOTES = "notes.notes";

  private NotesApp() {}

  static App app() {
    return new App("notes", "Your notes: titled plain-text notes.", List.of(
        AppCatalog.login("notes"),
        new ApiSpec("notes", "list_notes", "List your notes' ids, titles and dates (no bodies), oldest first. "
            + "Paginated.", List.of(optional("page_index", INTEGER, "page to show, from 0; 5 items a page")),
            true, "page of notes", c -> c.page(c.db().rows(NOTES).stream().map(r -> {
              ObjectNode n = c.json(NOTES, r);
              n.remove("body");
              return n;
            }).toList())),
        new ApiSpec("notes", "show_note", "Show one note with its body.",
            List.of(required("note_id", INTEGER, "the note")), true, "note",
            c -> c.json(NOTES, c.row(NOTES, "note_id", "note"))),
        new ApiSpec("notes", "create_note", "Create a note.", List.of(required("title", STRING, "title"),
                required("body", STRING, "text")), true, "the new note_id", c -> {
              Row row = c.db().insert(NOTES, Map.of("title", c.string("title"), "body", c.string("body"),
                  "created_at", c.session.now()));
              return Call.JSON.objectNode().put("note_id", row.id()).put("message", "Note created.");
            }),
        new ApiSpec("notes", "update_note", "Change a note's title or body.", List.of(
                required("note_id", INTEGER, "the note"), optional("title", STRING, "new title"),
                optional("body", STRING, "new text")), true, "the updated note", c -> {
              Row row = c.row(NOTES, "note_id", "note");
              Map<String, Object> changes = new LinkedHashMap<>();
              c.optionalString("title").ifPresent(v -> changes.put("title", v));
              c.optionalString("body").ifPresent(v -> changes.put("body", v));
              if (changes.isEmpty()) {
                throw ApiError.rejected("nothing to update: give title or body");
              }
              return c.json(NOTES, c.db().update(NOTES, row.id(), changes));
            }),
        new ApiSpec("notes", "delete_note", "Delete a note.", List.of(required("note_id", INTEGER, "the note")),
            true, "message", c -> {
              Row row = c.row(NOTES, "note_id", "note");
              c.db().delete(NOTES, row.id());
              return Call.message("Deleted note " + row.id() + ".");
            })));
  }
}
