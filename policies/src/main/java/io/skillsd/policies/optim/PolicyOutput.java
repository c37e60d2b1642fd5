package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PolicyForward} returns for a minibatch.
 *
 * @param logpNew log π_θ of the sampled tokens [B,T], differentiable
 * @param logits the logits [B,T,V] at the same positions; needed for vocabulary distillation, and gives
 *     the entropy diagnostic when present
 */
public record PolicyOutput(NDArray logpNew, Optional<NDArray> logits) {
  public PolicyOutput {
    Objects.requireNonNull(logpNew, "logpNew");
    Objects.requireNonNull(logits, "logits");
  }

  public static PolicyOutput of(NDArray logpNew) {
    return new PolicyOutput(logpNew, Optional.empty());
  }
}
