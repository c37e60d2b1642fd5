package io.skillsd.policies.objectives;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.OptionalInt;

/**
 * Reverse KL from the student to the skill-conditioned teacher over the vocabulary, at every loss
 * position — an opt-in extension beyond the paper, which distills on the sampled token only.
 *
 * <pre>
 *   full:  KL_t = Σ_v π_θ(v|·) · ( log π_θ(v|·) − log π_θ̄(v|x ⊕ S(x), ·) )
 *   top-k: S_t = the k tokens the teacher ranks highest at t; both distributions renormalized on S_t:
 *          KL_t = Σ_{v∈S_t} p̃_θ(v) · ( log p̃_θ(v) − log p̃_θ̄(v) ),  p̃(v) = p(v) / Σ_{u∈S_t} p(u)
 *   L_KL   = (1/N) Σ_i Σ_t skill_i · mask_{i,t} · KL_{i,t}
 * </pre>
 *
 * <p>Source: the analytic reverse KL of on-policy distillation (GKD, "On-Policy Distillation of Language
 * Models", Agarwal et al. 2024); the paper lists "sampled-token distillation only" as a limitation. The KL
 * at a position is exact given the prefix, so there is no ρ: the prefixes come from π_θold, as in every
 * token-level method here. N is the number of loss tokens of the batch, as in {@link SkillSdLoss}.
 */
public final class VocabularyKlLoss {

  private final OptionalInt topK;

  /** @param topK k ≥ 1 for top-k, empty for the full vocabulary */
  public VocabularyKlLoss(OptionalInt topK) {
    topK.ifPresent(
        k -> {
          if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, was " + k);
          }
        });
    this.topK = topK;
  }

  /**
   * @param loss L_KL, a scalar, differentiable through the student logits
   * @param meanKl mean KL_t over distilled tokens
   * @param entropy mean student entropy −Σ_v π_θ log π_θ over all loss tokens (full vocabulary)
   * @param tokens N, loss tokens of the batch
   * @param distilledTokens loss tokens of trajectories with a skill
   */
  public record Result(NDArray loss, double meanKl, double entropy, long tokens, long distilledTokens) {}

  /**
   * @param logits student logits [B,T,V], differentiable
   * @param logpTeacherVocab teacher log-probabilities over the vocabulary [B,T,V]
   * @param mask loss tokens [B,T]
   * @param skillMask [B]
   */
  public Result compute(NDArray logits, NDArray logpTeacherVocab, NDArray mask, NDArray skillMask) {
    Shapes.requireSame("logpTeacherVocab", logpTeacherVocab, "logits", logits);
    if (logits.getShape().dimension() != 3
        || !logits.getShape().slice(0, 2).equals(mask.getShape())) {
      throw new IllegalArgumentException(
          "logits must be [B,T,V] over mask [B,T], got " + logits.getShape() + " and "
              + mask.getShape());
    }
    Shapes.requireRows("skillMask", skillMask, mask);

    NDArray N = mask.sum().maximum(1f); // []
    NDArray m = mask.mul(skillMask.expandDims(1)); // [B,T]
    NDArray logp = logits.logSoftmax(-1); // [B,T,V]
    NDArray logq = logpTeacherVocab.stopGradient(); // [B,T,V]
    NDArray entropyT = logp.exp().mul(logp).sum(new int[] {-1}).neg().stopGradient(); // [B,T]
    if (topK.isPresent()) {
      int k = (int) Math.min(topK.getAsInt(), logits.getShape().get(2));
      NDList top = logq.topK(k, -1, true, false); // values, indices [B,T,k]
      NDArray idx = top.get(1);
      logq = renormalize(top.get(0)); // [B,T,k]
      logp = renormalize(logp.gather(idx, -1)); // [B,T,k]
    }
    NDArray klT = logp.exp().mul(logp.sub(logq)).sum(new int[] {-1}); // [B,T]
    NDArray loss = klT.mul(m).sum().div(N); // []

    double distilled = m.sum().getFloat();
    double meanKl = klT.stopGradient().mul(m).sum().getFloat() / Math.max(distilled, 1);
    double entropy = entropyT.mul(mask).sum().getFloat() / N.getFloat();
    return new Result(
        loss, meanKl, entropy, Math.round(mask.sum().getFloat()), Math.round(distilled));
  }

  /** log p̃ = log p − logsumexp_S(log p), over the last axis. */
  private static NDArray renormalize(NDArray logpOnSupport) {
    NDArray max = logpOnSupport.max(new int[] {-1}, true).stopGradient(); // [B,T,1]
    NDArray lse = logpOnSupport.sub(max).exp().sum(new int[] {-1}, true).log().add(max); // [B,T,1]
    return logpOnSupport.sub(lse);
  }
}
