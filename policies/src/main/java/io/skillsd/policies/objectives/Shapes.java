package io.skillsd.policies.objectives;

import ai.djl.ndarray.NDArray;

/** Shape checks shared by the losses: a wrong shape is a bug, so it fails fast and names the arrays. */
final class Shapes {

  private Shapes() {}

  static void requireSame(String name, NDArray a, String refName, NDArray ref) {
    if (!a.getShape().equals(ref.getShape())) {
      throw new IllegalArgumentException(
          name + " has shape " + a.getShape() + " but " + refName + " has " + ref.getShape());
    }
  }

  /** {@code a} must be [B] where {@code ref} is [B,T]. */
  static void requireRows(String name, NDArray a, NDArray ref) {
    if (ref.getShape().dimension() != 2) {
      throw new IllegalArgumentException("expected [B,T] log-probs, got " + ref.getShape());
    }
    if (a.getShape().dimension() != 1 || a.getShape().get(0) != ref.getShape().get(0)) {
      throw new IllegalArgumentException(
          name + " must be [B] with B = " + ref.getShape().get(0) + ", got " + a.getShape());
    }
  }
}
