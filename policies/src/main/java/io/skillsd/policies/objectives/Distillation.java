package io.skillsd.policies.objectives;

/**
 * What the distillation term compares at each loss position.
 *
 * <ul>
 *   <li>{@link #SAMPLED_TOKEN}: the paper's ρ·k3 on the token the student sampled ({@link SkillSdLoss}).
 *   <li>{@link #FULL_VOCABULARY}: exact reverse KL over the vocabulary ({@link VocabularyKlLoss}); opt-in.
 *   <li>{@link #TOP_K}: reverse KL on the teacher's top-k tokens, renormalized; opt-in.
 * </ul>
 */
public enum Distillation {
  SAMPLED_TOKEN,
  FULL_VOCABULARY,
  TOP_K;

  /** Whether the learner needs the student's logits and the teacher's vocabulary log-probs. */
  public boolean needsVocabulary() {
    return this != SAMPLED_TOKEN;
  }
}
