package io.skillsd.actors.rollout;

import io.skillsd.environments.Trajectory;
import io.skillsd.policies.prompt.Transcript;
import java.util.Objects;

/**
 * A finished episode: the text-level trajectory plus what training needs at the token level.
 *
 * @param transcript the student's dialogue as tokens (opening prompt without a skill)
 * @param logpOld log π_θold of each sampled token, aligned with the transcript (0 elsewhere)
 * @param version the weights version every turn was sampled with (the oldest, if it changed)
 * @param generateMillis time spent waiting for the policy
 * @param envMillis time spent in the environment
 */
public record EpisodeResult(Episode episode, Trajectory trajectory, Transcript transcript, float[] logpOld,
    long version, long generateMillis, long envMillis) {
  public EpisodeResult {
    Objects.requireNonNull(episode, "episode");
    Objects.requireNonNull(trajectory, "trajectory");
    Objects.requireNonNull(transcript, "transcript");
    if (logpOld.length != transcript.length()) {
      throw new IllegalArgumentException("logpOld must align with the transcript");
    }
  }
}
