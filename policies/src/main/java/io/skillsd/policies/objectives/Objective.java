package io.skillsd.policies.objectives;

import ai.djl.ndarray.NDArray;
import io.skillsd.policies.compute.Scalars;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The total loss of one minibatch under an {@link ObjectiveSettings}:
 *
 * <pre>
 *   L_total = w_R · L_GRPO + w_D · L_D
 *   w_R = 1 (0 for OPD);  w_D = λ (Skill-SD), 1 (OPD), 0 (GRPO, skill-augmented GRPO)
 *   L_D = L_SDL (sampled token, the paper) | L_KL (full vocabulary or top-k, opt-in)
 * </pre>
 *
 * <p>Source: Skill-SD (arXiv 2604.10674), §3.3, {@code L_total = L_GRPO + λ·L_SDL}, λ = 0.001.
 * Sampled-token terms whose weight is 0 are still evaluated for their diagnostics when their inputs are
 * present, but add nothing to the loss or its gradient; the vocabulary KL, which needs [B,T,V] inputs, is
 * evaluated only when it counts.
 *
 * <p>Every term is a sum over the minibatch's loss tokens divided by their number (clamped to 1): the
 * learner's micro-batches rely on it, weighting each micro-batch's loss by its share of the tokens
 * ({@code UpdateStep}). A term normalized otherwise (per sequence, say) needs its own rule there.
 */
public final class Objective {

  private final ObjectiveSettings settings;
  private final GrpoLoss grpo;
  private final SkillSdLoss sdl;
  private final VocabularyKlLoss vocabularyKl;

  public Objective(ObjectiveSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.grpo = new GrpoLoss(settings.epsLow(), settings.epsHigh(), settings.refKlBeta());
    this.sdl = new SkillSdLoss(settings.importanceWeighted(), settings.ellClip());
    this.vocabularyKl =
        new VocabularyKlLoss(
            settings.distillation() == Distillation.TOP_K ? settings.topK() : OptionalInt.empty());
  }

  public ObjectiveSettings settings() {
    return settings;
  }

  /**
   * The tensors of one minibatch.
   *
   * @param logpNew log π_θ of the sampled tokens [B,T], differentiable
   * @param logpOld log π_θold [B,T]
   * @param logpTeacher log π_θ̄ given the skill [B,T]; needed for sampled-token distillation
   * @param adv Â [B]
   * @param mask loss tokens [B,T]
   * @param skillMask [B], 1 where the teacher had a skill
   * @param logpRef log π_ref [B,T], only for the optional reference-KL term
   * @param logits student logits [B,T,V]; needed for vocabulary distillation, gives entropy when present
   * @param logpTeacherVocab teacher log-probs over the vocabulary [B,T,V]; needed for vocabulary
   *     distillation
   */
  public record Inputs(
      NDArray logpNew,
      NDArray logpOld,
      Optional<NDArray> logpTeacher,
      NDArray adv,
      NDArray mask,
      NDArray skillMask,
      Optional<NDArray> logpRef,
      Optional<NDArray> logits,
      Optional<NDArray> logpTeacherVocab) {
    public Inputs {
      Objects.requireNonNull(logpNew, "logpNew");
      Objects.requireNonNull(logpOld, "logpOld");
      Objects.requireNonNull(logpTeacher, "logpTeacher");
      Objects.requireNonNull(adv, "adv");
      Objects.requireNonNull(mask, "mask");
      Objects.requireNonNull(skillMask, "skillMask");
      Objects.requireNonNull(logpRef, "logpRef");
      Objects.requireNonNull(logits, "logits");
      Objects.requireNonNull(logpTeacherVocab, "logpTeacherVocab");
    }
  }

  /**
   * The total loss and every term's diagnostics (see {@link GrpoLoss.Result}, {@link SkillSdLoss.Result},
   * {@link VocabularyKlLoss.Result}); terms not evaluated report 0.
   *
   * @param loss L_total, a scalar NDArray, differentiable
   * @param grpoLoss L_GRPO (unweighted)
   * @param distillationLoss L_SDL or L_KL (unweighted)
   * @param entropy mean student entropy over loss tokens, when logits were given
   */
  public record Result(
      NDArray loss,
      double grpoLoss,
      double distillationLoss,
      double refKl,
      double clipFraction,
      double meanRatio,
      double meanRho,
      double maxRho,
      double meanEll,
      double meanK3,
      double ellClipFraction,
      double vocabularyKl,
      OptionalDouble entropy,
      long tokens,
      long distilledTokens) {}

  public Result compute(Inputs in) {
    double wR = settings.rewardWeight();
    double wD = settings.distillationWeight();

    GrpoLoss.Result g = grpo.compute(in.logpNew(), in.logpOld(), in.adv(), in.mask(), in.logpRef());
    NDArray loss = Scalars.times(g.loss(), (float) wR);

    double distillationLoss = 0;
    long distilledTokens = 0;
    SkillSdLoss.Result s = null;
    if (in.logpTeacher().isPresent()) {
      s = sdl.compute(in.logpNew(), in.logpOld(), in.logpTeacher().get(), in.mask(), in.skillMask());
      distilledTokens = s.distilledTokens();
    }
    VocabularyKlLoss.Result v = null;
    if (settings.distillation().needsVocabulary() && wD > 0) {
      NDArray logits = in.logits().orElseThrow(() -> missing("logits"));
      NDArray logq = in.logpTeacherVocab().orElseThrow(() -> missing("logpTeacherVocab"));
      v = vocabularyKl.compute(logits, logq, in.mask(), in.skillMask());
      distillationLoss = v.loss().getFloat();
      distilledTokens = v.distilledTokens();
      loss = loss.add(Scalars.times(v.loss(), (float) wD));
    } else if (wD > 0) {
      if (s == null) {
        throw missing("logpTeacher");
      }
      distillationLoss = s.loss().getFloat();
      loss = loss.add(Scalars.times(s.loss(), (float) wD));
    } else if (s != null) {
      distillationLoss = s.loss().getFloat();
    }

    OptionalDouble entropy = OptionalDouble.empty();
    if (v != null) {
      entropy = OptionalDouble.of(v.entropy());
    } else if (in.logits().isPresent()) {
      entropy = OptionalDouble.of(entropy(in.logits().get(), in.mask()));
    }
    return new Result(
        loss,
        g.loss().getFloat(),
        distillationLoss,
        g.refKl(),
        g.clipFraction(),
        g.meanRatio(),
        s == null ? 0 : s.meanRho(),
        s == null ? 0 : s.maxRho(),
        s == null ? 0 : s.meanEll(),
        s == null ? 0 : s.meanK3(),
        s == null ? 0 : s.ellClipFraction(),
        v == null ? 0 : v.meanKl(),
        entropy,
        g.tokens(),
        distilledTokens);
  }

  /** Mean over loss tokens of −Σ_v π_θ(v) log π_θ(v); logits [B,T,V], mask [B,T]. */
  static double entropy(NDArray logits, NDArray mask) {
    NDArray logp = logits.stopGradient().logSoftmax(-1); // [B,T,V]
    NDArray h = logp.exp().mul(logp).sum(new int[] {-1}).neg(); // [B,T]
    return h.mul(mask).sum().getFloat() / Math.max(mask.sum().getFloat(), 1);
  }

  private IllegalArgumentException missing(String name) {
    return new IllegalArgumentException(
        "objective " + settings.algorithm() + " with distillation " + settings.distillation()
            + " needs " + name);
  }
}
