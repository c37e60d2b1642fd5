package io.skillsd.environments.miniappworld;

import io.skillsd.environments.Episodes;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Throughput of MiniAppWorld on one thread (a measurement program, not a test; docs/MINIAPPWORLD.md records
 * its output). Each figure is the mean over five timed rounds after a warm-up round, with the slowest and
 * fastest round:
 * <ul>
 *   <li>reset: {@code reset(task)} over all tasks (copying the task's initial state);</li>
 *   <li>episode replay: reset plus the reference agent's recorded calls for each task (9.07 calls on
 *       average), so only the environment's work is timed (parse, validate, run, serialize, evaluate at the
 *       end); also given in steps per second;</li>
 *   <li>reference agent: the same episodes with the scripted agent deciding each call live;</li>
 *   <li>new world: generating a world and its 60 tasks for an unseen seed.</li>
 * </ul>
 * Usage: {@code java -cp … io.skillsd.environments.miniappworld.MiniAppWorldThroughput [seconds-per-round]}.
 */
public final class MiniAppWorldThroughput {

  private MiniAppWorldThroughput() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
    MiniAppWorld env = new MiniAppWorld(MiniAppWorldSettings.DEFAULTS);
    List<Task> tasks = Stream.concat(env.tasks().train().stream(), env.tasks().test().stream()).toList();
    List<List<String>> actions = new ArrayList<>();
    long calls = 0;
    for (Task task : tasks) {
      Trajectory t = Episodes.play(env, task, env.referenceAgent().orElseThrow(), 40);
      actions.add(t.turns().stream().map(Trajectory.Turn::actionText).toList());
      calls += t.turns().size();
    }
    System.out.printf(Locale.ROOT, "tasks %d, reference calls per episode: mean %.2f%n", tasks.size(),
        calls / (double) tasks.size());

    report("reset", "resets", seconds, () -> {
      for (Task task : tasks) {
        env.reset(task);
      }
      return tasks.size();
    });
    double episodes = report("episode replay (reset + recorded calls)", "episodes", seconds, () -> {
      for (int i = 0; i < tasks.size(); i++) {
        env.reset(tasks.get(i));
        for (String a : actions.get(i)) {
          env.step(a);
        }
      }
      return tasks.size();
    });
    System.out.printf(Locale.ROOT, "%-45s %,12.0f steps/s%n", "  the same, in steps", episodes * calls / tasks.size());
    report("reference agent episodes (agent included)", "episodes", seconds, () -> {
      for (Task task : tasks) {
        Episodes.play(env, task, env.referenceAgent().orElseThrow(), 40);
      }
      return tasks.size();
    });
    long[] seed = {1_000_000};
    report("new world + 60 tasks (unseen seed)", "worlds", seconds, () -> {
      TaskCatalog.uncached(seed[0]++);
      return 1;
    });
  }

  private static double report(String what, String unit, double seconds, LongSupplier round) {
    run(round, seconds);
    double[] rates = new double[5];
    for (int r = 0; r < rates.length; r++) {
      rates[r] = run(round, seconds);
    }
    double mean = java.util.Arrays.stream(rates).average().orElseThrow();
    double min = java.util.Arrays.stream(rates).min().orElseThrow();
    double max = java.util.Arrays.stream(rates).max().orElseThrow();
    System.out.printf(Locale.ROOT, "%-45s %,12.0f %s/s  (rounds %,.0f .. %,.0f)%n", what, mean, unit, min, max);
    return mean;
  }

  /** Repeats {@code round} for about {@code seconds} and returns units per second. */
  private static double run(LongSupplier round, double seconds) {
    long units = 0;
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long now;
    do {
      units += round.getAsLong();
      now = System.nanoTime();
    } while (now < deadline);
    return units / ((now - start) / 1e9);
  }
}
