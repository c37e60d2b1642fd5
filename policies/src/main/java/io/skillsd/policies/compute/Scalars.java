package io.skillsd.policies.compute;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Scalar operands that autograd may keep, in memory libtorch owns.
 *
 * <p>DJL's scalar overloads ({@code x.mul(0.5f)}, {@code x.div(t)}, {@code x.pow(-0.5f)}, {@code x.muli(s)})
 * wrap the number in a 0-d array over a Java direct buffer, call the tensor operation, and close that array
 * at once. Where the operation's backward needs the operand — a product or quotient (the gradient of
 * {@code x·c} is {@code g·c}) or a power (the exponent) — autograd keeps a reference to the tensor, but not
 * to the Java buffer under it: once the closed array is collected, that buffer is freed, and a backward pass
 * that runs after a garbage collection reads whatever the freed memory holds by then. Gradients are then
 * silently scaled by a wrong number, or become NaN or infinite. {@code ScalarsTest} shows it (a product's
 * gradient read 1234.5 instead of 3 after a collection); in training runs it appeared as occasional update
 * steps with a finite loss and a NaN gradient norm, and as runs of the same settings that drifted apart.
 *
 * <p>So every scalar operand of an operation under autograd comes from {@link #of}: a copy libtorch owns,
 * which autograd keeps alive itself (one extra copy of a 0-d array per call; constants such as RMSNorm's
 * exponent are made once per model). Without autograd (sampling, scoring, optimizer steps) the overloads
 * are safe: nothing keeps the operand.
 */
public final class Scalars {

  private Scalars() {}

  /** A 0-d float32 array holding {@code value} in libtorch's memory, attached to {@code manager}. */
  public static NDArray of(NDManager manager, float value) {
    try (NDArray overJavaMemory = manager.create(value)) {
      return overJavaMemory.duplicate();
    }
  }

  /** {@code x · factor}, differentiable in {@code x}, with the factor from {@link #of}. */
  public static NDArray times(NDArray x, float factor) {
    return x.mul(of(x.getManager(), factor));
  }
}
