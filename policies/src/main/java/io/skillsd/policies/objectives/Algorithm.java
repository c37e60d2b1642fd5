package io.skillsd.policies.objectives;

/**
 * The training methods the paper compares; each is a setting of the same learner.
 *
 * <ul>
 *   <li>{@link #SKILL_SD}: {@code L = L_GRPO + λ·L_SDL}, the paper's method.
 *   <li>{@link #GRPO}: vanilla GRPO, {@code L = L_GRPO} (λ = 0).
 *   <li>{@link #OPD}: vanilla on-policy distillation, {@code L = L_SDL} alone, no reward term; the teacher
 *       is the skill-conditioned one.
 *   <li>{@link #SKILL_AUGMENTED_GRPO}: {@code L = L_GRPO}, with the retrieved skill put in the
 *       <em>student's</em> prompt during training (none at evaluation). This is the only configuration
 *       allowed to show a skill to the student, and it says so through {@link #skillInStudentPrompt()}.
 * </ul>
 */
public enum Algorithm {
  SKILL_SD,
  GRPO,
  OPD,
  SKILL_AUGMENTED_GRPO;

  /** Whether the reward term L_GRPO is part of the loss. */
  public boolean usesReward() {
    return this != OPD;
  }

  /** Whether the distillation term is part of the loss (and the teacher must score). */
  public boolean usesDistillation() {
    return this == SKILL_SD || this == OPD;
  }

  /** Whether rollouts put the skill into the student's prompt during training. */
  public boolean skillInStudentPrompt() {
    return this == SKILL_AUGMENTED_GRPO;
  }
}
