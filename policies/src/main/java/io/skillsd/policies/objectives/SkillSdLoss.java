package io.skillsd.policies.objectives;

import ai.djl.ndarray.NDArray;
import java.util.OptionalDouble;

/**
 * The Skill-SD self-distillation loss: an importance-weighted k3 estimate of the reverse KL from the
 * student to the skill-conditioned teacher, on the student's own sampled tokens.
 *
 * <pre>
 *   ρ_{i,t} = π_θ(y_{i,t}|·) / sg(π_θold(y_{i,t}|·))            gradient flows through the numerator
 *   ℓ_{i,t} = log π_θ(y_{i,t}|x, y_{i,&lt;t}) − log π_θ̄(y_{i,t}|x ⊕ S(x), y_{i,&lt;t})
 *   L_SDL   = (1/N) Σ_i Σ_t ρ_{i,t} · ( e^{−ℓ_{i,t}} − 1 + ℓ_{i,t} )
 * </pre>
 *
 * <p>Source: Skill-SD (arXiv 2604.10674), Figure 1 and §3.2. The k3 form is Schulman's estimator; the
 * factor ρ is DeepSeek-V3.2's "unbiased KL estimate". Why ρ: d/dθ[ρ·k3(ℓ)] = ρ·ℓ·∇log π_θ exactly, so the
 * expected gradient over y ~ π_θold is ∇KL(π_θ ‖ π_tea) at any θ. Without ρ ({@code importanceWeighted =
 * false}, the "naive k3" ablation) the per-token gradient is (1 − e^{−ℓ})·∇log π_θ, whose expectation at θ =
 * θ_old is the <em>forward</em>-KL gradient, with a coefficient that explodes where π_θ ≪ π_tea.
 *
 * <p>The teacher log-probs carry no gradient. Trajectories of tasks without a skill ({@code skillMask} 0)
 * are masked out. N is the number of loss tokens in the batch, the same N as in {@link GrpoLoss}, so that
 * λ in {@code L_GRPO + λ·L_SDL} weighs both sums per token as the paper writes it.
 *
 * <p>Opt-in extension (off by default): ℓ clipped to [−c, c] with a straight-through estimator, so the
 * per-token value is ρ·k3(clip(ℓ)) and the per-token gradient is ρ·clip(ℓ)·∇log π_θ — the reverse-KL
 * direction with bounded magnitude, against the heavy tail of k3 on small models.
 */
public final class SkillSdLoss {

  private final boolean importanceWeighted;
  private final OptionalDouble ellClip;

  /**
   * @param importanceWeighted true for the paper's ρ-weighted loss, false for the naive-k3 ablation
   * @param ellClip c &gt; 0 to clip ℓ to [−c, c]; empty for the paper's unclipped ℓ
   */
  public SkillSdLoss(boolean importanceWeighted, OptionalDouble ellClip) {
    ellClip.ifPresent(
        c -> {
          if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("ell clip c must be a finite number > 0, was " + c);
          }
        });
    this.importanceWeighted = importanceWeighted;
    this.ellClip = ellClip;
  }

  /** The paper's loss: ρ-weighted, ℓ unclipped. */
  public static SkillSdLoss paper() {
    return new SkillSdLoss(true, OptionalDouble.empty());
  }

  /**
   * The loss and its diagnostics. Token statistics are over the distilled tokens (loss tokens of
   * trajectories with a skill); they are 0 when there are none.
   *
   * @param loss L_SDL, a scalar, differentiable through {@code logpNew}
   * @param meanRho mean of ρ
   * @param maxRho max of ρ
   * @param meanEll mean of ℓ, the teacher–student gap (before any clipping)
   * @param meanK3 mean of e^{−ℓ} − 1 + ℓ, an estimate of KL(π_θ ‖ π_tea) at θ = θ_old
   * @param ellClipFraction fraction of distilled tokens whose ℓ was clipped (0 when clipping is off)
   * @param tokens N, the loss tokens of the whole batch (the normalizer)
   * @param distilledTokens the loss tokens that belong to trajectories with a skill
   */
  public record Result(
      NDArray loss,
      double meanRho,
      double maxRho,
      double meanEll,
      double meanK3,
      double ellClipFraction,
      long tokens,
      long distilledTokens) {}

  /**
   * @param logpNew log π_θ(y_{i,t}) [B,T], differentiable
   * @param logpOld log π_θold(y_{i,t}) [B,T]
   * @param logpTeacher log π_θ̄(y_{i,t} | x ⊕ S(x)) [B,T]; any finite value where masked out
   * @param mask loss tokens [B,T], 0/1
   * @param skillMask [B], 1 where the task had a skill for the teacher, else 0
   */
  public Result compute(
      NDArray logpNew, NDArray logpOld, NDArray logpTeacher, NDArray mask, NDArray skillMask) {
    Shapes.requireSame("logpOld", logpOld, "logpNew", logpNew);
    Shapes.requireSame("logpTeacher", logpTeacher, "logpNew", logpNew);
    Shapes.requireSame("mask", mask, "logpNew", logpNew);
    Shapes.requireRows("skillMask", skillMask, logpNew);

    NDArray N = mask.sum().maximum(1f); // [] all loss tokens of the batch
    NDArray m = mask.mul(skillMask.expandDims(1)); // [B,T] distilled tokens
    NDArray rho =
        importanceWeighted
            ? logpNew.sub(logpOld.stopGradient()).mul(m).exp() // [B,T]; masked: log ρ = 0 (no 0·∞ in backward)
            : logpNew.onesLike().stopGradient(); // naive k3: ρ ≡ 1
    // Outside distilled tokens ℓ is set to 0 (k3 = 0 with zero gradient): the teacher row there holds
    // placeholders, and exp(−ℓ) of a placeholder gap could overflow and poison the backward pass.
    NDArray ellRaw = logpNew.sub(logpTeacher.stopGradient()).mul(m); // [B,T]
    NDArray ell = ellRaw; // [B,T]
    if (ellClip.isPresent()) {
      float c = (float) ellClip.getAsDouble();
      // straight-through: value clip(ℓ), gradient of ℓ
      ell = ellRaw.sub(ellRaw.sub(ellRaw.clip(-c, c)).stopGradient());
    }
    NDArray k3 = ell.neg().exp().sub(1f).add(ell); // [B,T]
    NDArray loss = rho.mul(k3).mul(m).sum().div(N); // []

    // Diagnostics over distilled tokens, no gradient.
    double distilled = m.sum().getFloat();
    double d = Math.max(distilled, 1);
    NDArray rhoD = rho.stopGradient();
    NDArray ellD = ellRaw.stopGradient();
    double meanRho = rhoD.mul(m).sum().getFloat() / d;
    // ρ > 0, so masking by multiplication keeps the max of the kept tokens (0 when none)
    double maxRho = rhoD.mul(m).max().getFloat();
    double meanEll = ellD.mul(m).sum().getFloat() / d;
    double meanK3 = k3.stopGradient().mul(m).sum().getFloat() / d;
    double ellClipFraction = 0;
    if (ellClip.isPresent()) {
      float c = (float) ellClip.getAsDouble();
      NDArray outside = ellD.abs().gt(c).toType(m.getDataType(), false);
      ellClipFraction = outside.mul(m).sum().getFloat() / d;
    }
    return new Result(
        loss,
        meanRho,
        maxRho,
        meanEll,
        meanK3,
        ellClipFraction,
        Math.round(mask.sum().getFloat()),
        Math.round(distilled));
  }
}
