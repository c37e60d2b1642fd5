package io.skillsd.skills.bank;

import io.skillsd.skills.Skill;
import java.util.Objects;

/**
 * The skill UCB chose for a task's teacher.
 *
 * @param taskId the task
 * @param skillId the chosen skill's id, to pass back with the reward
 * @param skill the chosen skill
 * @param score its UCB score at the time of choice (positive infinity when it had never been chosen)
 */
public record SkillSelection(String taskId, String skillId, Skill skill, double score) {
  public SkillSelection {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(skillId, "skillId");
    Objects.requireNonNull(skill, "skill");
  }
}
