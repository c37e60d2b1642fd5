package io.skillsd.policies.prompt;

import java.util.Objects;

/**
 * What the student policy sees: instructions and the task, never a skill. There is deliberately no way to
 * build one from a {@link TeacherPrompt} or to add a skill to one.
 *
 * @param system the system instructions (rules, output format)
 * @param task the first user turn: the task and its first observation
 */
public record StudentPrompt(String system, String task) {
  public StudentPrompt {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(task, "task");
  }
}
