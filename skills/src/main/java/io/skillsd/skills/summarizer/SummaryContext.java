package io.skillsd.skills.summarizer;

import java.util.Objects;

/**
 * What the runtime knows about a trajectory beyond its text: it goes into the skill's provenance.
 *
 * @param trajectoryId the trajectory's id in the run (e.g. {@code it12/sokoban-017/g3})
 * @param weightsVersion the policy weights version that produced it
 * @param reward its training reward (the value the GRPO group is normalized over)
 */
public record SummaryContext(String trajectoryId, long weightsVersion, double reward) {
  public SummaryContext {
    Objects.requireNonNull(trajectoryId, "trajectoryId");
    if (trajectoryId.isBlank()) {
      throw new IllegalArgumentException("trajectoryId must not be blank");
    }
    if (weightsVersion < 0) {
      throw new IllegalArgumentException("weightsVersion must be >= 0, was " + weightsVersion);
    }
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, was " + reward);
    }
  }
}
