package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;

/**
 * Gradient clipping by the global norm, over all parameters together:
 *
 * <pre>
 *   ‖g‖ = sqrt( Σ_p Σ_j g_{p,j}² );   if ‖g‖ &gt; c:  g ← g · c / ‖g‖
 * </pre>
 *
 * <p>Source: Pascanu, Mikolov &amp; Bengio, "On the difficulty of training recurrent neural networks"
 * (2013); {@code torch.nn.utils.clip_grad_norm_}. DJL's {@code optClipGrad} clips each element to [−c, c],
 * which changes the direction of the update; this keeps it. Only parameters that require a gradient take
 * part.
 */
public final class GlobalNormClipping {

  private GlobalNormClipping() {}

  /** ‖g‖ over the parameters' current gradients (NaN or ∞ when any gradient is). */
  public static double globalNorm(ParameterList parameters) {
    double sumSquares = 0;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Pair<String, Parameter> p : parameters) {
        if (p.getValue().requiresGradient()) {
          NDArray g = p.getValue().getArray().getGradient();
          sumSquares += g.square().sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
      }
    }
    return Math.sqrt(sumSquares);
  }

  /**
   * Scales all gradients by {@code maxNorm/‖g‖} when ‖g‖ exceeds {@code maxNorm}; leaves them alone when
   * ‖g‖ is not finite (the caller's guard decides).
   *
   * @param maxNorm c &gt; 0; {@code Double.POSITIVE_INFINITY} turns clipping off
   * @return ‖g‖ before clipping
   */
  public static double clip(ParameterList parameters, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be > 0, was " + maxNorm);
    }
    double norm = globalNorm(parameters);
    if (Double.isFinite(norm) && norm > maxNorm) {
      float scale = (float) (maxNorm / norm);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        for (Pair<String, Parameter> p : parameters) {
          if (p.getValue().requiresGradient()) {
            p.getValue().getArray().getGradient().muli(scale);
          }
        }
      }
    }
    return norm;
  }
}
