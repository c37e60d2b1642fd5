package io.skillsd.policies.optim;

import java.util.Objects;

/**
 * How one batch of scored trajectories becomes optimizer steps.
 *
 * @param epochs passes over the batch, ≥ 1 (default 1: on-policy, ρ stays near 1)
 * @param minibatchSize trajectories per optimizer step, ≥ 1
 * @param learningRate η per step, with warm-up
 * @param adamW the optimizer's other hyper-parameters
 * @param maxGradNorm global-norm clip c &gt; 0 (default 1.0); {@code Double.POSITIVE_INFINITY} turns it off
 * @param maxConsecutiveNonFinite N: the N-th non-finite step in a row stops the run (default 5)
 * @param shuffleSeed seed of the minibatch shuffle
 */
public record UpdateSettings(
    int epochs,
    int minibatchSize,
    LearningRateSchedule learningRate,
    AdamW.Settings adamW,
    double maxGradNorm,
    int maxConsecutiveNonFinite,
    long shuffleSeed) {

  public UpdateSettings {
    Objects.requireNonNull(learningRate, "learningRate");
    Objects.requireNonNull(adamW, "adamW");
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
    }
    if (minibatchSize < 1) {
      throw new IllegalArgumentException("minibatchSize must be >= 1, was " + minibatchSize);
    }
    if (!(maxGradNorm > 0)) {
      throw new IllegalArgumentException("maxGradNorm must be > 0, was " + maxGradNorm);
    }
    if (maxConsecutiveNonFinite < 1) {
      throw new IllegalArgumentException(
          "maxConsecutiveNonFinite must be >= 1, was " + maxConsecutiveNonFinite);
    }
  }

  /** One epoch, minibatches of 8, η = 1e-6 after 10 warm-up steps, AdamW defaults, clip 1.0, N = 5. */
  public static UpdateSettings defaults() {
    return new UpdateSettings(
        1, 8, LearningRateSchedule.constant(1e-6, 10), AdamW.Settings.defaults(), 1.0, 5, 0);
  }

  public UpdateSettings withLearningRate(LearningRateSchedule schedule) {
    return new UpdateSettings(
        epochs, minibatchSize, schedule, adamW, maxGradNorm, maxConsecutiveNonFinite, shuffleSeed);
  }

  public UpdateSettings withMinibatches(int epochs, int minibatchSize) {
    return new UpdateSettings(
        epochs, minibatchSize, learningRate, adamW, maxGradNorm, maxConsecutiveNonFinite, shuffleSeed);
  }

  public UpdateSettings withMaxGradNorm(double c) {
    return new UpdateSettings(
        epochs, minibatchSize, learningRate, adamW, c, maxConsecutiveNonFinite, shuffleSeed);
  }

  public UpdateSettings withAdamW(AdamW.Settings s) {
    return new UpdateSettings(
        epochs, minibatchSize, learningRate, s, maxGradNorm, maxConsecutiveNonFinite, shuffleSeed);
  }

  public UpdateSettings withMaxConsecutiveNonFinite(int n) {
    return new UpdateSettings(epochs, minibatchSize, learningRate, adamW, maxGradNorm, n, shuffleSeed);
  }

  /** The seed the minibatch shuffles derive from (together with the update's number). */
  public UpdateSettings withShuffleSeed(long seed) {
    return new UpdateSettings(epochs, minibatchSize, learningRate, adamW, maxGradNorm, maxConsecutiveNonFinite, seed);
  }
}
