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
 * @param microbatchBytes the most memory one forward and backward pass may hold, by the policy's estimate
 *     ({@link PolicyForward#activationBytes}): a minibatch over it goes through the model in micro-batches
 *     whose gradients add up to the minibatch's; 0 never splits
 */
public record UpdateSettings(
    int epochs,
    int minibatchSize,
    LearningRateSchedule learningRate,
    AdamW.Settings adamW,
    double maxGradNorm,
    int maxConsecutiveNonFinite,
    long shuffleSeed,
    long microbatchBytes) {

  /** Settings that never split a minibatch. */
  public UpdateSettings(int epochs, int minibatchSize, LearningRateSchedule learningRate, AdamW.Settings adamW,
      double maxGradNorm, int maxConsecutiveNonFinite, long shuffleSeed) {
    this(epochs, minibatchSize, learningRate, adamW, maxGradNorm, maxConsecutiveNonFinite, shuffleSeed, 0);
  }

  public UpdateSettings {
    if (microbatchBytes < 0) {
      throw new IllegalArgumentException("microbatchBytes must be >= 0 (0: never split), was " + microbatchBytes);
    }
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
        epochs, minibatchSize, schedule, adamW, maxGradNorm, maxConsecutiveNonFinite, shuffleSeed, microbatchBytes);
  }

  public UpdateSettings withMinibatches(int epochs, int minibatchSize) {
    return new UpdateSettings(
        epochs, minibatchSize, learningRate, adamW, maxGradNorm, maxConsecutiveNonFinite, shuffleSeed, microbatchBytes);
  }

  public UpdateSettings withMaxGradNorm(double c) {
    return new UpdateSettings(
        epochs, minibatchSize, learningRate, adamW, c, maxConsecutiveNonFinite, shuffleSeed, microbatchBytes);
  }

  public UpdateSettings withAdamW(AdamW.Settings s) {
    return new UpdateSettings(
        epochs, minibatchSize, learningRate, s, maxGradNorm, maxConsecutiveNonFinite, shuffleSeed, microbatchBytes);
  }

  public UpdateSettings withMaxConsecutiveNonFinite(int n) {
    return new UpdateSettings(epochs, minibatchSize, learningRate, adamW, maxGradNorm, n, shuffleSeed, microbatchBytes);
  }

  /** The seed the minibatch shuffles derive from (together with the update's number). */
  public UpdateSettings withShuffleSeed(long seed) {
    return new UpdateSettings(epochs, minibatchSize, learningRate, adamW, maxGradNorm, maxConsecutiveNonFinite, seed, microbatchBytes);
  }

  /** The memory budget of one forward and backward pass of the update (0: never split a minibatch). */
  public UpdateSettings withMicrobatchBytes(long bytes) {
    return new UpdateSettings(epochs, minibatchSize, learningRate, adamW, maxGradNorm, maxConsecutiveNonFinite,
        shuffleSeed, bytes);
  }
}
