package io.skillsd.policies.optim;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The student model as the update step sees it: recompute log π_θ of the sampled tokens of a minibatch.
 * Called inside a {@code GradientCollector}, so what it computes from the model's parameters is
 * differentiable.
 *
 * @param <I> the model's per-sequence input
 */
@FunctionalInterface
public interface PolicyForward<I> {

  /**
   * @param manager where the minibatch's arrays live (closed after the step)
   * @param inputs B inputs, in minibatch order
   * @param maxLength T, the longest sequence's number of positions; shorter rows are padded (any value
   *     there is masked out)
   * @return logpNew [B,T], and the logits [B,T,V] at the same positions when the objective needs them
   */
  PolicyOutput forward(NDManager manager, List<I> inputs, int maxLength);

  /**
   * About how many bytes {@link #forward} and its backward pass hold at their peak for one row of
   * {@code length} positions; {@link UpdateStep} splits a minibatch whose rows together would exceed
   * {@link UpdateSettings#microbatchBytes}. The default, 0, never splits.
   */
  default long activationBytes(int length) {
    return 0;
  }
}
