package io.skillsd.environments.miniappworld;

import static io.skillsd.environments.miniappworld.ApiSpec.Param.optional;
import static io.skillsd.environments.miniappworld.ApiSpec.Param.required;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.BOOLEAN;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.INTEGER;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.STRING;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code todo}: a to-do list with due dates. */
final class TodoApp {

  private static final String TASKS = "todo.tasks";

  private TodoApp() {}

  static App app() {
    return new App("todo", "Your to-do list.", List.of(
        AppCatalog.login("todo"),
        new ApiSpec("todo", "list_tasks", "List your to-do tasks, open ones only unless include_done is true. "
            + "Paginated.", List.of(optional("include_done", BOOLEAN, "also list done tasks (default false)"),
                optional("page_index", INTEGER, "page to show, from 0; 5 items a page")),
            true, "page of tasks", c -> {
              boolean done = c.optionalBool("include_done").orElse(false);
              return c.page(c.select(TASKS, r -> done || !r.bool("done")));
            }),
        new ApiSpec("todo", "show_task", "Show one task.", List.of(required("task_id", INTEGER, "the task")),
            true, "task", c -> c.json(TASKS, c.row(TASKS, "task_id", "task"))),
        new ApiSpec("todo", "add_task", "Add a task.", List.of(required("title", STRING, "what to do"),
                optional("due_date", STRING, "YYYY-MM-DD")), true, "the new task_id", c -> {
              if (c.string("title").isBlank()) {
                throw ApiError.rejected("title must not be empty");
              }
              Row row = c.db().insert(TASKS, Map.of("title", c.string("title").strip(),
                  "due_date", date(c.optionalString("due_date")), "done", false));
              return Call.JSON.objectNode().put("task_id", row.id()).put("message", "Task added.");
            }),
        new ApiSpec("todo", "update_task", "Change a task's title or due date.", List.of(
                required("task_id", INTEGER, "the task"), optional("title", STRING, "new title"),
                optional("due_date", STRING, "YYYY-MM-DD")), true, "the updated task", c -> {
              Row row = c.row(TASKS, "task_id", "task");
              Map<String, Object> changes = new LinkedHashMap<>();
              c.optionalString("title").ifPresent(v -> changes.put("title", v.strip()));
              if (c.optionalString("due_date").isPresent()) {
                changes.put("due_date", date(c.optionalString("due_date")));
              }
              if (changes.isEmpty()) {
                throw ApiError.rejected("nothing to update: give title or due_date");
              }
              return c.json(TASKS, c.db().update(TASKS, row.id(), changes));
            }),
        new ApiSpec("todo", "mark_done", "Mark a task as done.", List.of(required("task_id", INTEGER, "the task")),
            true, "the updated task", c -> {
              Row row = c.row(TASKS, "task_id", "task");
              if (row.bool("done")) {
                throw ApiError.rejected("task " + row.id() + " is already done");
              }
              return c.json(TASKS, c.db().update(TASKS, row.id(), Map.of("done", true)));
            }),
        new ApiSpec("todo", "delete_task", "Delete a task.", List.of(required("task_id", INTEGER, "the task")),
            true, "message", c -> {
              Row row = c.row(TASKS, "task_id", "task");
              c.db().delete(TASKS, row.id());
              return Call.message("Deleted task " + row.id() + ".");
            })));
  }

  private static String date(Optional<String> value) throws ApiError {
    if (value.isEmpty()) {
      return "";
    }
    String d = value.get().trim();
    if (!d.matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw ApiError.rejected("due_date must look like 2026-07-15, got '" + d + "'");
    }
    return d;
  }
}
