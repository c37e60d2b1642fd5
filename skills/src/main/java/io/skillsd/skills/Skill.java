package io.skillsd.skills;

import java.util.Objects;

/**
 * A skill: the compact, teacher-only summary of one finished trajectory (Skill-SD, Appendix A), plus where it
 * came from.
 *
 * <p>The three text fields are the paper's; their JSON names are {@code success_analysis},
 * {@code mistake_analysis} and {@code golden_workflow} (see {@link SkillJson}). The record only requires them
 * to be non-blank; the size cap is a setting and is enforced by {@link SkillJson} and by the summarizers.
 *
 * @param successAnalysis what strategic intent was right and should be reused
 * @param mistakeAnalysis what failed, why, and which wrong assumptions or misuse caused it
 * @param goldenWorkflow a concise ideal process the teacher can follow token by token
 * @param provenance the task, trajectory, reward, weights version and summarizer behind the skill
 */
public record Skill(String successAnalysis, String mistakeAnalysis, String goldenWorkflow, Provenance provenance) {

  /** The heading of the teacher's system-prompt block; {@link #render()} starts with it. */
  public static final String PROMPT_HEADING = "Skill distilled from an earlier attempt at this task";

  public Skill {
    successAnalysis = requireText(successAnalysis, SkillJson.SUCCESS_ANALYSIS);
    mistakeAnalysis = requireText(mistakeAnalysis, SkillJson.MISTAKE_ANALYSIS);
    goldenWorkflow = requireText(goldenWorkflow, SkillJson.GOLDEN_WORKFLOW);
    Objects.requireNonNull(provenance, "provenance");
  }

  /**
   * The same text with other provenance. Two skills with equal text are the same skill to the
   * {@link io.skillsd.skills.bank.SkillBank} whatever their provenance.
   */
  public Skill withProvenance(Provenance other) {
    return new Skill(successAnalysis, mistakeAnalysis, goldenWorkflow, other);
  }

  /** Whether {@code other} has the same three text fields (provenance ignored). */
  public boolean sameText(Skill other) {
    return successAnalysis.equals(other.successAnalysis)
        && mistakeAnalysis.equals(other.mistakeAnalysis)
        && goldenWorkflow.equals(other.goldenWorkflow);
  }

  /** The longest of the three text fields, in characters. */
  public int longestField() {
    return Math.max(successAnalysis.length(), Math.max(mistakeAnalysis.length(), goldenWorkflow.length()));
  }

  /**
   * The text the privileged teacher gets in the system part of its prompt, after the task's own instructions.
   * Provenance is not rendered: the teacher sees only what the skill says.
   */
  public String render() {
    return PROMPT_HEADING + ":\n"
        + "What worked and should be reused: " + successAnalysis + "\n"
        + "What went wrong and why: " + mistakeAnalysis + "\n"
        + "Golden workflow to follow: " + goldenWorkflow;
  }

  private static String requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("skill field '" + field + "' must not be empty");
    }
    return trimmed;
  }

  /**
   * Where a skill came from.
   *
   * @param taskId the task whose trajectory was summarized (the bank's key)
   * @param trajectoryId the summarized trajectory
   * @param reward that trajectory's training reward
   * @param weightsVersion the policy weights version that produced the trajectory
   * @param summarizer the name of the summarizer that wrote the skill (e.g. {@code analyst},
   *     {@code openai:qwen3-8b}, {@code policy})
   */
  public record Provenance(String taskId, String trajectoryId, double reward, long weightsVersion, String summarizer) {
    public Provenance {
      requireName(taskId, SkillJson.TASK_ID);
      requireName(trajectoryId, SkillJson.TRAJECTORY_ID);
      requireName(summarizer, SkillJson.SUMMARIZER);
      if (!Double.isFinite(reward)) {
        throw new IllegalArgumentException("provenance 'reward' must be finite, was " + reward);
      }
      if (weightsVersion < 0) {
        throw new IllegalArgumentException("provenance 'weights_version' must be >= 0, was " + weightsVersion);
      }
    }

    private static void requireName(String value, String field) {
      Objects.requireNonNull(value, field);
      if (value.isBlank()) {
        throw new IllegalArgumentException("provenance '" + field + "' must not be blank");
      }
    }
  }
}
