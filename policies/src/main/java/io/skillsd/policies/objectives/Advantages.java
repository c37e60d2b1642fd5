package io.skillsd.policies.objectives;

import java.util.Arrays;

/**
 * Group-normalized advantages of GRPO.
 *
 * <pre>
 *   Â_i = (R_i − mean_j R_j) / (std_j R_j + ε)
 * </pre>
 *
 * <p>Source: Skill-SD (arXiv 2604.10674), §3, after DeepSeekMath's GRPO. One advantage per trajectory,
 * broadcast to every loss token of that trajectory by the losses.
 *
 * <p>Choices the paper leaves open, and ours: {@code std} is the <em>population</em> standard deviation
 * (divide by G, not G − 1). It is the spread of the group as it is, it is defined for a group of one, and
 * it differs from the sample estimate only by the constant factor sqrt((G − 1)/G), which the ε-free part
 * of the update would absorb into the learning rate anyway. A group whose rewards are all equal carries no
 * learning signal, so its advantages are exactly 0 (not the rounding noise of {@code (R − mean)/ε}).
 */
public final class Advantages {

  /** ε of the formula, the paper's default. */
  public static final double DEFAULT_EPSILON = 1e-6;

  private Advantages() {}

  /**
   * The advantages of one group.
   *
   * @param rewards R_j of the G trajectories of one task, G ≥ 1, all finite
   * @param epsilon ε &gt; 0, added to the standard deviation
   * @return Â_i, same order as {@code rewards}
   */
  public static double[] groupNormalized(double[] rewards, double epsilon) {
    if (rewards.length == 0) {
      throw new IllegalArgumentException("a group needs at least one reward");
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be a positive finite number, was " + epsilon);
    }
    for (double r : rewards) {
      if (!Double.isFinite(r)) {
        throw new IllegalArgumentException("rewards must be finite, got " + Arrays.toString(rewards));
      }
    }
    int g = rewards.length;
    double[] adv = new double[g];
    if (Arrays.stream(rewards).allMatch(r -> r == rewards[0])) {
      return adv; // all-equal group: no signal, Â = 0 exactly
    }
    double mean = Arrays.stream(rewards).sum() / g;
    double variance = 0;
    for (double r : rewards) {
      variance += (r - mean) * (r - mean);
    }
    double std = Math.sqrt(variance / g); // population std
    for (int i = 0; i < g; i++) {
      adv[i] = (rewards[i] - mean) / (std + epsilon);
    }
    return adv;
  }

  /** {@link #groupNormalized(double[], double)} with ε = {@value #DEFAULT_EPSILON}. */
  public static double[] groupNormalized(double[] rewards) {
    return groupNormalized(rewards, DEFAULT_EPSILON);
  }
}
