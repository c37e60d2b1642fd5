package io.skillsd.environments;

import java.util.Objects;

/**
 * One task of an environment: what a GRPO group plays and what the skill bank keys skills by.
 *
 * @param id stable identifier, unique within the environment (e.g. {@code sokoban/skill-sd/train/017})
 * @param split which split it belongs to
 * @param seed the seed that generates the episode (level, world, instruction parameters)
 * @param difficulty 1 (easy) and up; used for curriculum ordering
 */
public record Task(String id, Split split, long seed, int difficulty) {
  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(split, "split");
    if (id.isBlank()) {
      throw new IllegalArgumentException("task id must not be blank");
    }
    if (difficulty < 1) {
      throw new IllegalArgumentException("difficulty must be >= 1, was " + difficulty);
    }
  }
}
