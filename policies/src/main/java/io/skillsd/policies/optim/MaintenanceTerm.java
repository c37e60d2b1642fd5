package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The loss of the skill-conditioned maintenance term over a step's replayed sequences, added to the step's
 * loss with weight μ ({@link UpdateStep#update(List, List, double)}). Called inside the gradient collector:
 * what it computes from the student's parameters is differentiable.
 *
 * @param <I> the model's per-sequence input
 */
@FunctionalInterface
public interface MaintenanceTerm<I> {

  /**
   * @param manager the step's manager
   * @param rows the replayed sequences (only their input and mask are used)
   * @param maxLength T, the longest row's length
   * @param mask [B,T], 1 at the tokens the term covers
   * @return a scalar: the term's mean per covered token
   */
  NDArray loss(NDManager manager, List<I> rows, int maxLength, NDArray mask);

  /** −(1/N) Σ mask · log π_θ: the negative log-likelihood of the replayed tokens (the default term). */
  static <I> MaintenanceTerm<I> nll(PolicyForward<I> policy) {
    return (manager, rows, maxLength, mask) ->
        policy.forward(manager, rows, maxLength).logpNew().mul(mask).sum().div(mask.sum().maximum(1f)).neg();
  }
}
