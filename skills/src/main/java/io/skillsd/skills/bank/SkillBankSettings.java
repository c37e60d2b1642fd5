package io.skillsd.skills.bank;

import io.skillsd.skills.SkillJson;

/**
 * The skill bank's policies.
 *
 * @param capacity the most skills one task's buffer holds (default 8)
 * @param exploration the UCB exploration constant c (default 1.0); 0 makes selection greedy in r̄
 * @param maxFieldChars the cap on each skill text field, in characters (default 2,000)
 */
public record SkillBankSettings(int capacity, double exploration, int maxFieldChars) {

  public static final int DEFAULT_CAPACITY = 8;
  public static final double DEFAULT_EXPLORATION = 1.0;

  public SkillBankSettings {
    if (capacity < 1) {
      throw new IllegalArgumentException("skill bank capacity must be >= 1, was " + capacity);
    }
    if (!(exploration >= 0.0) || Double.isInfinite(exploration)) {
      throw new IllegalArgumentException("UCB exploration constant must be finite and >= 0, was " + exploration);
    }
    if (maxFieldChars < 1) {
      throw new IllegalArgumentException("maxFieldChars must be >= 1, was " + maxFieldChars);
    }
  }

  /** Capacity 8, c = 1.0, 2,000 characters per field. */
  public static SkillBankSettings defaults() {
    return new SkillBankSettings(DEFAULT_CAPACITY, DEFAULT_EXPLORATION, SkillJson.DEFAULT_MAX_FIELD_CHARS);
  }
}
