package io.skillsd.actors.rollout;

import io.skillsd.environments.Task;
import java.util.Objects;
import java.util.Optional;

/**
 * One episode to play.
 *
 * @param episodeId unique in the run, e.g. {@code it0003-t01-g05} (plus {@code -r1} for a re-run)
 * @param task the task
 * @param iteration the iteration it belongs to (-1 for evaluation before training)
 * @param group index of its GRPO group within the iteration
 * @param member index within the group
 * @param attempt 0 for the first run, 1.. for re-runs after a failure
 * @param evaluation a held-out evaluation episode (no teacher, no skills, no update)
 * @param temperature the sampling temperature
 * @param seed base seed of this episode's sampling (same on a re-run, so a re-run replays the same draw)
 * @param rolloutSkill a skill shown in the prompt the episode is <em>sampled</em> with — set only for the
 *     ablations that do so on purpose (Skill-augmented GRPO; teacher-owned rollouts); empty for Skill-SD,
 *     where the student never sees a skill
 * @param teacherRollout sample with the teacher θ̄ instead of the student θ (off-policy ablation)
 */
public record Episode(String episodeId, Task task, int iteration, int group, int member, int attempt,
    boolean evaluation, float temperature, long seed, Optional<String> rolloutSkill, boolean teacherRollout) {
  public Episode {
    Objects.requireNonNull(episodeId, "episodeId");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(rolloutSkill, "rolloutSkill");
    if (evaluation && (rolloutSkill.isPresent() || teacherRollout)) {
      throw new IllegalArgumentException("evaluation episodes are played by the student without skills");
    }
  }

  /** A plain student episode: no skill anywhere in its prompt. */
  public static Episode student(String episodeId, Task task, int iteration, int group, int member, boolean evaluation,
      float temperature, long seed) {
    return new Episode(episodeId, task, iteration, group, member, 0, evaluation, temperature, seed, Optional.empty(), false);
  }

  /** The same episode, to run again after a failure. */
  public Episode retry() {
    String base = attempt == 0 ? episodeId : episodeId.substring(0, episodeId.lastIndexOf("-r"));
    return new Episode(base + "-r" + (attempt + 1), task, iteration, group, member, attempt + 1, evaluation, temperature,
        seed, rolloutSkill, teacherRollout);
  }
}
