package io.skillsd.policies.objectives;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Every knob of the objective, with the paper's configuration as the default ({@link #skillSd()}).
 *
 * @param algorithm which loss terms are on, and whether the student sees skills (see {@link Algorithm})
 * @param lambda λ, the weight of the distillation term in {@code L_GRPO + λ·L_SDL} (used by
 *     {@link Algorithm#SKILL_SD}; {@link Algorithm#OPD} uses the distillation term alone, weight 1);
 *     default 0.001, the paper's best
 * @param epsLow ε_low of the GRPO clip, default 0.2
 * @param epsHigh ε_high of the GRPO clip ("clip-higher"), default 0.28
 * @param advantageEpsilon ε of the group normalization, default 1e-6
 * @param refKlBeta β of the optional reference-KL term of GRPO; default 0 (off, as in the paper)
 * @param importanceWeighted ρ in the distillation loss; false is the naive-k3 ablation; default true
 * @param ellClip c to clip ℓ to [−c, c] (opt-in, straight-through); default empty (off)
 * @param distillation sampled token (paper, default), full vocabulary or top-k reverse KL (opt-in)
 * @param topK k for {@link Distillation#TOP_K}; present exactly when that mode is chosen
 * @param teacherSync how θ̄ follows θ; default {@code Dynamic(1)}, the paper's
 */
public record ObjectiveSettings(
    Algorithm algorithm,
    double lambda,
    double epsLow,
    double epsHigh,
    double advantageEpsilon,
    double refKlBeta,
    boolean importanceWeighted,
    OptionalDouble ellClip,
    Distillation distillation,
    OptionalInt topK,
    TeacherSync teacherSync) {

  public ObjectiveSettings {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(ellClip, "ellClip");
    Objects.requireNonNull(distillation, "distillation");
    Objects.requireNonNull(topK, "topK");
    Objects.requireNonNull(teacherSync, "teacherSync");
    requireFinite("lambda", lambda, 0);
    requireFinite("refKlBeta", refKlBeta, 0);
    if (!(epsLow >= 0 && epsLow < 1)) {
      throw new IllegalArgumentException("epsLow must be in [0, 1), was " + epsLow);
    }
    requireFinite("epsHigh", epsHigh, 0);
    if (!(advantageEpsilon > 0) || Double.isInfinite(advantageEpsilon)) {
      throw new IllegalArgumentException(
          "advantageEpsilon must be a finite number > 0, was " + advantageEpsilon);
    }
    if (ellClip.isPresent() && !(ellClip.getAsDouble() > 0)) {
      throw new IllegalArgumentException("ellClip must be > 0 when set, was " + ellClip.getAsDouble());
    }
    if ((distillation == Distillation.TOP_K) != topK.isPresent()) {
      throw new IllegalArgumentException(
          "topK must be set exactly when distillation is TOP_K (distillation=" + distillation
              + ", topK=" + topK + ")");
    }
    if (topK.isPresent() && topK.getAsInt() < 1) {
      throw new IllegalArgumentException("topK must be >= 1, was " + topK.getAsInt());
    }
  }

  private static void requireFinite(String key, double value, double min) {
    if (!(value >= min) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be a finite number >= " + min + ", was " + value);
    }
  }

  /** The paper's Skill-SD: GRPO + 0.001·ρ-weighted k3 on sampled tokens, dynamic teacher K = 1. */
  public static ObjectiveSettings skillSd() {
    return new ObjectiveSettings(
        Algorithm.SKILL_SD,
        0.001,
        0.2,
        0.28,
        Advantages.DEFAULT_EPSILON,
        0,
        true,
        OptionalDouble.empty(),
        Distillation.SAMPLED_TOKEN,
        OptionalInt.empty(),
        TeacherSync.paperDefault());
  }

  /** Vanilla GRPO (λ = 0, no teacher). */
  public static ObjectiveSettings grpo() {
    return skillSd().withAlgorithm(Algorithm.GRPO).withLambda(0);
  }

  /** Vanilla on-policy distillation: the distillation term alone, skill-conditioned teacher. */
  public static ObjectiveSettings opd() {
    return skillSd().withAlgorithm(Algorithm.OPD);
  }

  /** GRPO with the skill in the student's prompt during training. */
  public static ObjectiveSettings skillAugmentedGrpo() {
    return skillSd().withAlgorithm(Algorithm.SKILL_AUGMENTED_GRPO).withLambda(0);
  }

  /** The weight of L_GRPO in the total loss: 1 or 0. */
  public double rewardWeight() {
    return algorithm.usesReward() ? 1 : 0;
  }

  /** The weight of the distillation term in the total loss: λ, 1 (OPD) or 0. */
  public double distillationWeight() {
    return switch (algorithm) {
      case SKILL_SD -> lambda;
      case OPD -> 1;
      case GRPO, SKILL_AUGMENTED_GRPO -> 0;
    };
  }

  public ObjectiveSettings withAlgorithm(Algorithm a) {
    return new ObjectiveSettings(
        a, lambda, epsLow, epsHigh, advantageEpsilon, refKlBeta, importanceWeighted, ellClip,
        distillation, topK, teacherSync);
  }

  public ObjectiveSettings withLambda(double l) {
    return new ObjectiveSettings(
        algorithm, l, epsLow, epsHigh, advantageEpsilon, refKlBeta, importanceWeighted, ellClip,
        distillation, topK, teacherSync);
  }

  public ObjectiveSettings withClip(double low, double high) {
    return new ObjectiveSettings(
        algorithm, lambda, low, high, advantageEpsilon, refKlBeta, importanceWeighted, ellClip,
        distillation, topK, teacherSync);
  }

  public ObjectiveSettings withRefKl(double beta) {
    return new ObjectiveSettings(
        algorithm, lambda, epsLow, epsHigh, advantageEpsilon, beta, importanceWeighted, ellClip,
        distillation, topK, teacherSync);
  }

  /** The naive-k3 ablation: no ρ. */
  public ObjectiveSettings withNaiveK3() {
    return new ObjectiveSettings(
        algorithm, lambda, epsLow, epsHigh, advantageEpsilon, refKlBeta, false, ellClip,
        distillation, topK, teacherSync);
  }

  public ObjectiveSettings withEllClip(double c) {
    return new ObjectiveSettings(
        algorithm, lambda, epsLow, epsHigh, advantageEpsilon, refKlBeta, importanceWeighted,
        OptionalDouble.of(c), distillation, topK, teacherSync);
  }

  public ObjectiveSettings withFullVocabulary() {
    return new ObjectiveSettings(
        algorithm, lambda, epsLow, epsHigh, advantageEpsilon, refKlBeta, importanceWeighted, ellClip,
        Distillation.FULL_VOCABULARY, OptionalInt.empty(), teacherSync);
  }

  public ObjectiveSettings withTopK(int k) {
    return new ObjectiveSettings(
        algorithm, lambda, epsLow, epsHigh, advantageEpsilon, refKlBeta, importanceWeighted, ellClip,
        Distillation.TOP_K, OptionalInt.of(k), teacherSync);
  }

  public ObjectiveSettings withTeacherSync(TeacherSync sync) {
    return new ObjectiveSettings(
        algorithm, lambda, epsLow, epsHigh, advantageEpsilon, refKlBeta, importanceWeighted, ellClip,
        distillation, topK, sync);
  }
}
