package io.skillsd.actors.coordinator;

import io.skillsd.actors.rollout.EpisodeResult;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Success, completion and reward over a set of finished episodes, how many its context cut short, and how
 * many different first answers they opened with: a greedy evaluation whose episodes nearly all open with
 * the same answer is a policy playing one fixed plan without reading the task.
 */
record IterationStats(int episodes, double success, double completion, double meanReturn, double meanTurns,
    double formatRate, int contextFull, int distinctFirstAnswers) {

  static IterationStats of(List<EpisodeResult> results) {
    if (results.isEmpty()) {
      return new IterationStats(0, 0, 0, 0, 0, 0, 0, 0);
    }
    Set<String> firstAnswers = new HashSet<>();
    double s = 0, c = 0, r = 0, t = 0, valid = 0, turns = 0;
    int full = 0;
    for (EpisodeResult e : results) {
      full += e.contextFull() ? 1 : 0;
      s += e.trajectory().metrics().success() ? 1 : 0;
      c += e.trajectory().metrics().completion();
      r += e.trajectory().totalReward();
      t += e.trajectory().turns().size();
      if (!e.trajectory().turns().isEmpty()) {
        firstAnswers.add(e.trajectory().turns().get(0).actionText());
      }
      for (var turn : e.trajectory().turns()) {
        valid += turn.result().actionValid() ? 1 : 0;
        turns++;
      }
    }
    int n = results.size();
    return new IterationStats(n, s / n, c / n, r / n, t / n, turns == 0 ? 0 : valid / turns, full,
        firstAnswers.size());
  }
}
