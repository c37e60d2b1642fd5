package io.skillsd.environments;

/**
 * The two per-episode metrics every environment reports.
 *
 * @param success accuracy: the task was fully solved
 * @param completion partial credit in [0, 1] (Sokoban: fraction of boxes on targets; MiniAppWorld: passed
 *     checks over all checks)
 */
public record EpisodeMetrics(boolean success, double completion) {
  public EpisodeMetrics {
    if (!(completion >= 0.0 && completion <= 1.0)) {
      throw new IllegalArgumentException("completion must be in [0, 1], was " + completion);
    }
  }
}
