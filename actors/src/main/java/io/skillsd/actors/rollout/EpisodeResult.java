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
 * @param node where the episode ran: {@link #LOCAL} in a single JVM, a cluster node's address otherwise
 * @param contextFull the episode ended because its dialogue filled the model's context, before the
 *     environment or the turn limit ended it
 */
public record EpisodeResult(Episode episode, Trajectory trajectory, Transcript transcript, float[] logpOld,
    long version, long generateMillis, long envMillis, String node, boolean contextFull) {

  /** The {@link #node} of an episode played in the coordinator's own JVM. */
  public static final String LOCAL = "local";

  public EpisodeResult {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(episode, "episode");
    Objects.requireNonNull(trajectory, "trajectory");
    Objects.requireNonNull(transcript, "transcript");
    if (logpOld.length != transcript.length()) {
      throw new IllegalArgumentException("logpOld must align with the transcript");
    }
  }

  /** A result of an episode played in this JVM that the environment or the turn limit ended. */
  public EpisodeResult(Episode episode, Trajectory trajectory, Transcript transcript, float[] logpOld, long version,
      long generateMillis, long envMillis) {
    this(episode, trajectory, transcript, logpOld, version, generateMillis, envMillis, LOCAL, false);
  }

  /** The same result, played on {@code node}. */
  public EpisodeResult withNode(String node) {
    return new EpisodeResult(episode, trajectory, transcript, logpOld, version, generateMillis, envMillis, node,
        contextFull);
  }

  /** The same result, marked as ended by a full context. */
  public EpisodeResult endedByContext() {
    return new EpisodeResult(episode, trajectory, transcript, logpOld, version, generateMillis, envMillis, node, true);
  }
}
