package io.skillsd.skills.bank;

import io.skillsd.skills.Skill;
import java.util.Objects;

/**
 * One skill in a task's buffer with its bandit statistics, as a value.
 *
 * @param id the skill's id: a hash of its three text fields, stable across runs and restores
 * @param sequence the order in which skills entered this task's buffer (0, 1, …); ties break on it
 * @param skill the skill
 * @param selections n(e): how often UCB chose it as the teacher's skill
 * @param rewards how many reward updates it received
 * @param meanReward r̄(e): the running mean of those rewards (0 before the first)
 */
public record SkillStats(String id, long sequence, Skill skill, long selections, long rewards, double meanReward) {

  public SkillStats {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(skill, "skill");
    if (sequence < 0 || selections < 0 || rewards < 0) {
      throw new IllegalArgumentException("sequence and counts must be >= 0");
    }
    if (!Double.isFinite(meanReward)) {
      throw new IllegalArgumentException("meanReward must be finite, was " + meanReward);
    }
  }

  /** Never chosen yet: UCB picks such skills before any other. */
  public boolean untried() {
    return selections == 0;
  }

  /** Has at least one reward: only such skills can be evicted. */
  public boolean tried() {
    return rewards > 0;
  }

  /**
   * The UCB score {@code r̄ + c·sqrt(ln N / n)}; positive infinity when untried.
   *
   * @param taskSelections N, the task's total selections so far
   * @param exploration c
   */
  public double ucb(long taskSelections, double exploration) {
    if (untried()) {
      return Double.POSITIVE_INFINITY;
    }
    double lnN = Math.log(Math.max(1L, taskSelections));
    return meanReward + exploration * Math.sqrt(lnN / selections);
  }
}
