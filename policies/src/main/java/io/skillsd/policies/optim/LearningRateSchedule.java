package io.skillsd.policies.optim;

import java.util.Objects;

/**
 * Learning rate per optimizer step: linear warm-up from η/W to η over the first W steps, then constant or
 * a cosine decay to {@code minRatio·η} at {@code totalSteps}.
 *
 * <pre>
 *   η(s) = η · (s + 1) / W                                            s &lt; W
 *   η(s) = η                                                          s ≥ W, CONSTANT
 *   η(s) = η · ( r + (1 − r) · ½(1 + cos(π · min(1, (s − W)/(S − W)))) )   s ≥ W, COSINE
 * </pre>
 *
 * <p>s counts applied steps from 0, so the first step already moves (η/W, not 0).
 *
 * @param peak η &gt; 0
 * @param warmupSteps W ≥ 0 (0: no warm-up)
 * @param decay after the warm-up
 * @param totalSteps S &gt; W for COSINE (ignored for CONSTANT)
 * @param minRatio r ∈ [0, 1], the floor of the cosine as a fraction of η
 */
public record LearningRateSchedule(
    double peak, long warmupSteps, Decay decay, long totalSteps, double minRatio) {

  /** What follows the warm-up. */
  public enum Decay {
    CONSTANT,
    COSINE
  }

  public LearningRateSchedule {
    Objects.requireNonNull(decay, "decay");
    if (!(peak > 0) || Double.isInfinite(peak)) {
      throw new IllegalArgumentException("learning rate must be a finite number > 0, was " + peak);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, was " + warmupSteps);
    }
    if (decay == Decay.COSINE && totalSteps <= warmupSteps) {
      throw new IllegalArgumentException(
          "cosine decay needs totalSteps > warmupSteps, got " + totalSteps + " <= " + warmupSteps);
    }
    if (!(minRatio >= 0 && minRatio <= 1)) {
      throw new IllegalArgumentException("minRatio must be in [0, 1], was " + minRatio);
    }
  }

  /** Warm-up then constant. */
  public static LearningRateSchedule constant(double peak, long warmupSteps) {
    return new LearningRateSchedule(peak, warmupSteps, Decay.CONSTANT, 0, 0);
  }

  /** Warm-up then cosine to {@code minRatio·peak} at {@code totalSteps}. */
  public static LearningRateSchedule cosine(
      double peak, long warmupSteps, long totalSteps, double minRatio) {
    return new LearningRateSchedule(peak, warmupSteps, Decay.COSINE, totalSteps, minRatio);
  }

  /** η at applied step s (0-based). */
  public double at(long s) {
    if (s < 0) {
      throw new IllegalArgumentException("step must be >= 0, was " + s);
    }
    if (s < warmupSteps) {
      return peak * (s + 1) / warmupSteps;
    }
    if (decay == Decay.CONSTANT) {
      return peak;
    }
    double progress = Math.min(1.0, (double) (s - warmupSteps) / (totalSteps - warmupSteps));
    return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
