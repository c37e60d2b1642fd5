package io.skillsd.skills.bank;

import java.util.Objects;

/** What {@link SkillBank#add} did with a skill. */
public sealed interface AddResult {

  /** The skill's id (the existing one's for a duplicate). */
  String skillId();

  /** Stored in a buffer that had room. */
  record Added(String skillId) implements AddResult {
    public Added {
      Objects.requireNonNull(skillId, "skillId");
    }
  }

  /** Stored after evicting the tried skill with the lowest mean reward. */
  record Replaced(String skillId, String evictedId, double evictedMeanReward) implements AddResult {
    public Replaced {
      Objects.requireNonNull(skillId, "skillId");
      Objects.requireNonNull(evictedId, "evictedId");
    }
  }

  /** The task already holds a skill with the same three text fields; nothing changed. */
  record Duplicate(String skillId) implements AddResult {
    public Duplicate {
      Objects.requireNonNull(skillId, "skillId");
    }
  }

  /** The buffer is full and none of its skills has been tried yet, so none may be evicted; nothing changed. */
  record Refused(String skillId) implements AddResult {
    public Refused {
      Objects.requireNonNull(skillId, "skillId");
    }
  }
}
