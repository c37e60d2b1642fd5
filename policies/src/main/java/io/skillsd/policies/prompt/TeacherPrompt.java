package io.skillsd.policies.prompt;

import java.util.Objects;

/**
 * What the privileged teacher sees: the same instructions and task as the student plus a skill, placed in
 * the system part (task ⊕ skill). Only the teacher's scoring accepts this type.
 *
 * @param system the system instructions, as the student gets them
 * @param task the first user turn, as the student gets it
 * @param skill the skill text retrieved for this task
 */
public record TeacherPrompt(String system, String task, String skill) {
  public TeacherPrompt {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(skill, "skill");
    if (skill.isBlank()) {
      throw new IllegalArgumentException("a teacher prompt needs a non-blank skill");
    }
  }

  /** The system part with the skill appended (the skill alone when there are no instructions). */
  public String systemWithSkill() {
    return system.isEmpty() ? "Skill:\n" + skill : system + "\n\nSkill:\n" + skill;
  }
}
