package io.skillsd.policies.objectives;

import ai.djl.ndarray.NDArray;
import io.skillsd.policies.compute.Scalars;
import java.util.Optional;

/**
 * The GRPO clipped surrogate with clip-higher and token-mean normalization.
 *
 * <pre>
 *   r_{i,t}  = π_θ(y_{i,t}|·) / π_θold(y_{i,t}|·)
 *   L_GRPO   = −(1/N) Σ_i Σ_t min( r_{i,t} Â_i , clip(r_{i,t}, 1−ε_low, 1+ε_high) Â_i )
 *            [ + β (1/N) Σ_i Σ_t k3(log π_ref − log π_θ) ]          optional, off by default
 * </pre>
 *
 * <p>Source: Skill-SD (arXiv 2604.10674), Figure 1 and §3; the asymmetric clip ("clip-higher") and the
 * token-level mean over all N loss tokens of the batch follow DAPO; the optional reference-KL term is
 * DeepSeekMath's k3 penalty {@code π_ref/π_θ − log(π_ref/π_θ) − 1}. Skill-SD uses no reference KL, hence
 * β = 0 by default.
 *
 * <p>Inputs: {@code logpNew [B,T]} (differentiable), {@code logpOld [B,T]}, {@code adv [B]},
 * {@code mask [B,T]} (1 on loss tokens, 0 on prompt, observation and padding positions), and optionally
 * {@code logpRef [B,T]}. Every result array belongs to the manager of {@code logpNew}'s scope; call it
 * inside an {@code NDScope}.
 */
public final class GrpoLoss {

  private final double epsLow;
  private final double epsHigh;
  private final double beta;

  /**
   * @param epsLow ε_low ∈ [0, 1): the ratio is clipped below at 1 − ε_low
   * @param epsHigh ε_high ≥ 0: the ratio is clipped above at 1 + ε_high
   * @param beta β ≥ 0: weight of the reference-KL term; 0 turns it off
   */
  public GrpoLoss(double epsLow, double epsHigh, double beta) {
    if (!(epsLow >= 0 && epsLow < 1)) {
      throw new IllegalArgumentException("epsLow must be in [0, 1), was " + epsLow);
    }
    if (!(epsHigh >= 0) || Double.isInfinite(epsHigh)) {
      throw new IllegalArgumentException("epsHigh must be a finite number >= 0, was " + epsHigh);
    }
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be a finite number >= 0, was " + beta);
    }
    this.epsLow = epsLow;
    this.epsHigh = epsHigh;
    this.beta = beta;
  }

  /**
   * The loss and its diagnostics.
   *
   * @param loss L_GRPO, a scalar, differentiable through {@code logpNew}
   * @param clipFraction fraction of loss tokens whose gradient the clip removes (r outside
   *     [1−ε_low, 1+ε_high] on the side that matches the sign of Â)
   * @param meanRatio mean of r over loss tokens
   * @param refKl mean k3 reference KL over loss tokens (0 when the term is off)
   * @param tokens N, the number of loss tokens
   */
  public record Result(NDArray loss, double clipFraction, double meanRatio, double refKl, long tokens) {}

  /** L_GRPO without the reference-KL term. */
  public Result compute(NDArray logpNew, NDArray logpOld, NDArray adv, NDArray mask) {
    return compute(logpNew, logpOld, adv, mask, Optional.empty());
  }

  /** L_GRPO; {@code logpRef} is required when β &gt; 0 and ignored when β = 0. */
  public Result compute(
      NDArray logpNew, NDArray logpOld, NDArray adv, NDArray mask, Optional<NDArray> logpRef) {
    Shapes.requireSame("logpOld", logpOld, "logpNew", logpNew);
    Shapes.requireSame("mask", mask, "logpNew", logpNew);
    Shapes.requireRows("adv", adv, logpNew);

    NDArray N = mask.sum().maximum(1f); // [] loss tokens; an empty batch gives loss 0, not NaN
    NDArray A = adv.expandDims(1); // [B,1] broadcast over tokens
    // Masked positions get log r = 0 before exp: a masked term must contribute neither value nor gradient,
    // and 0 · ∞ in the backward pass (exp of a large masked log-ratio) would be NaN.
    NDArray r = logpNew.sub(logpOld.stopGradient()).mul(mask).exp(); // [B,T]
    NDArray unclipped = r.mul(A); // [B,T]
    NDArray clipped = r.clip(1 - epsLow, 1 + epsHigh).mul(A); // [B,T]
    NDArray surrogate = unclipped.minimum(clipped); // [B,T]
    NDArray loss = surrogate.mul(mask).sum().div(N).neg(); // []

    double refKl = 0;
    if (beta > 0) {
      NDArray logRatioRef =
          logpRef
              .orElseThrow(() -> new IllegalArgumentException("beta > 0 needs logpRef"))
              .stopGradient()
              .sub(logpNew); // [B,T] log(π_ref/π_θ)
      NDArray k3 = logRatioRef.exp().sub(logRatioRef).sub(1f); // [B,T]
      NDArray klMean = k3.mul(mask).sum().div(N); // []
      loss = loss.add(Scalars.times(klMean, (float) beta));
      refKl = klMean.getFloat();
    }

    // Diagnostics, no gradient.
    NDArray rd = r.stopGradient();
    NDArray Ad = A.stopGradient().broadcast(rd.getShape());
    NDArray clippedAbove = rd.gt(1 + epsHigh).logicalAnd(Ad.gt(0f));
    NDArray clippedBelow = rd.lt(1 - epsLow).logicalAnd(Ad.lt(0f));
    NDArray isClipped = clippedAbove.logicalOr(clippedBelow).toType(mask.getDataType(), false);
    double n = N.getFloat();
    double clipFraction = isClipped.mul(mask).sum().getFloat() / n;
    double meanRatio = rd.mul(mask).sum().getFloat() / n;
    long tokens = Math.round(mask.sum().getFloat());
    return new Result(loss, clipFraction, meanRatio, refKl, tokens);
  }
}
