package io.skillsd.actors.coordinator;

import io.skillsd.actors.rollout.EpisodeResult;
import java.util.List;

/** Success, completion and reward over a set of finished episodes, and how many its context cut short. */
record IterationStats(int episodes, double success, double completion, double meanReturn, double meanTurns,
    double formatRate, int contextFull) {

  static IterationStats of(List<EpisodeResult> results) {
    if (results.isEmpty()) {
      return new IterationStats(0, 0, 0, 0, 0, 0, 0);
    }
    double s = 0, c = 0, r = 0, t = 0, valid = 0, turns = 0;
    int full = 0;
    for (EpisodeResult e : results) {
      full += e.contextFull() ? 1 : 0;
      s += e.trajectory().metrics().success() ? 1 : 0;
      c += e.trajectory().metrics().completion();
      r += e.trajectory().totalReward();
      t += e.trajectory().turns().size();
      for (var turn : e.trajectory().turns()) {
        valid += turn.result().actionValid() ? 1 : 0;
        turns++;
      }
    }
    int n = results.size();
    return new IterationStats(n, s / n, c / n, r / n, t / n, turns == 0 ? 0 : valid / turns, full);
  }
}
