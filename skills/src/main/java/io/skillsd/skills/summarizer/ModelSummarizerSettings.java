package io.skillsd.skills.summarizer;

import io.skillsd.skills.SkillJson;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModelSummarizer} asks its model.
 *
 * @param maxAttempts attempts per trajectory, the first included (default 3)
 * @param attemptTimeout the most one attempt may take (default 60 s)
 * @param initialBackoff the wait after the first failed attempt; it doubles after each further failure
 *     (default 0.5 s)
 * @param maxBackoff the cap on that wait, also on a server's {@code Retry-After} (default 30 s)
 * @param requestsPerSecond the most requests started per second over all trajectories; 0 for no limit
 *     (default 4)
 * @param maxFieldChars the cap on each skill field, stated in the prompt and enforced (default 2,000)
 * @param maxTranscriptChars the budget for the turns in the prompt (default 12,000)
 * @param generation decoding settings
 */
public record ModelSummarizerSettings(
    int maxAttempts,
    Duration attemptTimeout,
    Duration initialBackoff,
    Duration maxBackoff,
    double requestsPerSecond,
    int maxFieldChars,
    int maxTranscriptChars,
    GenerationOptions generation) {

  public ModelSummarizerSettings {
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(generation, "generation");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
      throw new IllegalArgumentException("attemptTimeout must be positive, was " + attemptTimeout);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff
          + " and " + maxBackoff);
    }
    if (!(requestsPerSecond >= 0.0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("requestsPerSecond must be finite and >= 0 (0: no limit), was "
          + requestsPerSecond);
    }
    if (maxFieldChars < 1 || maxTranscriptChars < 1) {
      throw new IllegalArgumentException("maxFieldChars and maxTranscriptChars must be >= 1");
    }
  }

  public static ModelSummarizerSettings defaults() {
    return new ModelSummarizerSettings(3, Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(30),
        4.0, SkillJson.DEFAULT_MAX_FIELD_CHARS, 12_000, GenerationOptions.defaults());
  }

  /** The wait after {@code failedAttempt} (1-based) failed: {@code initialBackoff · 2^(failedAttempt−1)}, capped. */
  public Duration backoff(int failedAttempt) {
    long base = initialBackoff.toNanos();
    int shift = Math.min(failedAttempt - 1, 40);
    long nanos = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
  }

  public ModelSummarizerSettings withMaxAttempts(int value) {
    return new ModelSummarizerSettings(value, attemptTimeout, initialBackoff, maxBackoff, requestsPerSecond,
        maxFieldChars, maxTranscriptChars, generation);
  }

  public ModelSummarizerSettings withAttemptTimeout(Duration value) {
    return new ModelSummarizerSettings(maxAttempts, value, initialBackoff, maxBackoff, requestsPerSecond,
        maxFieldChars, maxTranscriptChars, generation);
  }

  public ModelSummarizerSettings withBackoff(Duration initial, Duration max) {
    return new ModelSummarizerSettings(maxAttempts, attemptTimeout, initial, max, requestsPerSecond,
        maxFieldChars, maxTranscriptChars, generation);
  }

  public ModelSummarizerSettings withRequestsPerSecond(double value) {
    return new ModelSummarizerSettings(maxAttempts, attemptTimeout, initialBackoff, maxBackoff, value,
        maxFieldChars, maxTranscriptChars, generation);
  }
}
