package io.skillsd.tests.bench;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.SokobanRandomAgent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Accuracy (solved share) and mean completion of the solver's reference agent and of the random agent over the
 * held-out levels of a Sokoban preset (default {@code skill-sd}). Usage: {@code SokobanBaselines [preset]
 * [random-agent-seeds]}; the random agent plays every level once per agent seed (default 10).
 */
public final class SokobanBaselines {

  private SokobanBaselines() {}

  /**
   * Accuracy and completion of one agent over a list of episodes.
   *
   * @param episodes episodes played
   * @param accuracy solved share
   * @param completion mean fraction of boxes on targets at the end
   */
  public record Score(int episodes, double accuracy, double completion) {}

  public static void main(String[] args) {
    String preset = args.length > 0 ? args[0] : "skill-sd";
    int randomSeeds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Environment env = EnvironmentRegistry.load().create("sokoban", Map.of("preset", preset));
    List<Task> test = env.tasks().test();
    Score solver = score(env, test, 1, () -> env.referenceAgent().orElseThrow());
    long[] seed = {0};
    Score random = score(env, test, randomSeeds, () -> new SokobanRandomAgent(seed[0]++));
    System.out.printf(Locale.ROOT, "preset %s, %d held-out levels%n", preset, test.size());
    System.out.printf(Locale.ROOT, "solver agent: %d episodes, accuracy %.4f, completion %.4f%n",
        solver.episodes(), solver.accuracy(), solver.completion());
    System.out.printf(Locale.ROOT, "random agent: %d episodes (%d agent seeds), accuracy %.4f, completion %.4f%n",
        random.episodes(), randomSeeds, random.accuracy(), random.completion());
  }

  /** Plays every task {@code repeats} times, a fresh agent per repeat. */
  public static Score score(Environment env, List<Task> tasks, int repeats, Supplier<ReferenceAgent> agents) {
    int solved = 0;
    double completion = 0;
    int episodes = 0;
    for (int r = 0; r < repeats; r++) {
      ReferenceAgent agent = agents.get();
      for (Task task : tasks) {
        Trajectory t = Episodes.play(env, task, agent, Integer.MAX_VALUE);
        solved += t.metrics().success() ? 1 : 0;
        completion += t.metrics().completion();
        episodes++;
      }
    }
    return new Score(episodes, (double) solved / episodes, completion / episodes);
  }
}
