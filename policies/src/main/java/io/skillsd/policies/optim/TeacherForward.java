package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The skill-conditioned teacher's distribution over the vocabulary at each position, for the opt-in
 * full-vocabulary and top-k distillation. Called outside the gradient collector: no gradient flows into
 * the teacher.
 *
 * @param <I> the model's per-sequence input
 */
@FunctionalInterface
public interface TeacherForward<I> {

  /**
   * @return log π_θ̄(v | x ⊕ S(x), y_&lt;t) [B,T,V] at the same positions as the student's log-probs; rows
   *     without a skill may hold any finite values (they are masked out)
   */
  NDArray logProbs(NDManager manager, List<I> inputs, int maxLength);
}
