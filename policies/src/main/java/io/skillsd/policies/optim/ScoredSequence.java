package io.skillsd.policies.optim;

import java.util.Objects;

/**
 * One scored trajectory, as the update step consumes it: the model's own input for it and the per-token
 * numbers the objective needs, aligned on the T positions of its log-probs.
 *
 * @param input what the model needs to recompute log π_θ (token ids, prompt length, … — the model's type)
 * @param logpOld log π_θold of the sampled token at each of the T positions
 * @param mask 1 at loss tokens (tokens the policy generated), 0 elsewhere; length T
 * @param advantage Â of the trajectory (see {@code Advantages})
 * @param logpTeacher log π_θ̄ given the skill, length T; empty when the task had no skill, which masks
 *     the trajectory out of distillation (for vocabulary distillation too: a non-empty array is what
 *     marks a trajectory as distilled)
 * @param logpRef log π_ref, length T, only for the optional reference-KL term; otherwise empty
 * @param <I> the model's input type
 */
public record ScoredSequence<I>(
    I input, float[] logpOld, float[] mask, double advantage, float[] logpTeacher, float[] logpRef) {

  public ScoredSequence {
    Objects.requireNonNull(input, "input");
    int t = logpOld.length;
    if (mask.length != t) {
      throw new IllegalArgumentException("mask has " + mask.length + " positions, logpOld " + t);
    }
    if (logpTeacher.length != 0 && logpTeacher.length != t) {
      throw new IllegalArgumentException(
          "logpTeacher has " + logpTeacher.length + " positions, logpOld " + t);
    }
    if (logpRef.length != 0 && logpRef.length != t) {
      throw new IllegalArgumentException("logpRef has " + logpRef.length + " positions, logpOld " + t);
    }
    if (!Double.isFinite(advantage)) {
      throw new IllegalArgumentException("advantage must be finite, was " + advantage);
    }
    logpOld = logpOld.clone();
    mask = mask.clone();
    logpTeacher = logpTeacher.clone();
    logpRef = logpRef.clone();
  }

  /** A trajectory with no teacher score and no reference log-probs. */
  public static <I> ScoredSequence<I> of(I input, float[] logpOld, float[] mask, double advantage) {
    return new ScoredSequence<>(input, logpOld, mask, advantage, new float[0], new float[0]);
  }

  /** A trajectory whose task had a skill, scored by the teacher. */
  public static <I> ScoredSequence<I> withTeacher(
      I input, float[] logpOld, float[] mask, double advantage, float[] logpTeacher) {
    return new ScoredSequence<>(input, logpOld, mask, advantage, logpTeacher, new float[0]);
  }

  /** T, the number of positions. */
  public int length() {
    return logpOld.length;
  }

  /** Whether the teacher scored this trajectory (its task had a skill). */
  public boolean hasSkill() {
    return logpTeacher.length > 0;
  }
}
