package io.skillsd.tests.bench;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.SokobanAnswer;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanRandomAgent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Accuracy (solved share) and mean completion of the solver's reference agent, of the random agent and of the
 * fixed-answer agents over the held-out levels of a Sokoban preset (default {@code skill-sd}). Usage:
 * {@code SokobanBaselines [preset] [random-agent-seeds] [option=value ...] [per-level=FILE]}; the random agent
 * plays every level once per agent seed (default 10); options are the environment's (e.g.
 * {@code test-size=4096}); {@code per-level=FILE} writes, per held-out level, how many of the fixed answers
 * solve it (tab-separated task id and count), so that a policy's episodes can be scored on the levels no fixed
 * answer solves.
 *
 * <p>A fixed-answer agent gives the same answer every turn, whatever the level: one sequence of as many moves as
 * a turn allows. Every such sequence is played on every level when there are at most 4,096 of them (the
 * {@code ragen} preset's 5 moves: 1,024); the best of them is what a policy that never reads the level can
 * reach by repeating one answer.
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
    Map<String, String> options = new LinkedHashMap<>(Map.of("preset", preset));
    java.nio.file.Path perLevel = null;
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("options are option=value, was " + args[i]);
      }
      if (kv[0].equals("per-level")) {
        perLevel = java.nio.file.Path.of(kv[1]);
      } else {
        options.put(kv[0], kv[1]);
      }
    }
    Environment env = EnvironmentRegistry.load().create("sokoban", options);
    List<Task> test = env.tasks().test();
    Score solver = score(env, test, 1, () -> env.referenceAgent().orElseThrow());
    long[] seed = {0};
    Score random = score(env, test, randomSeeds, () -> new SokobanRandomAgent(seed[0]++));
    System.out.printf(Locale.ROOT, "preset %s, %d held-out levels%n", preset, test.size());
    System.out.printf(Locale.ROOT, "solver agent: %d episodes, accuracy %.4f, completion %.4f%n",
        solver.episodes(), solver.accuracy(), solver.completion());
    System.out.printf(Locale.ROOT, "random agent: %d episodes (%d agent seeds), accuracy %.4f, completion %.4f%n",
        random.episodes(), randomSeeds, random.accuracy(), random.completion());
    int perTurn = ((SokobanEnvironment) env).settings().maxActionsPerTurn();
    if (perTurn > 6) {
      System.out.printf(Locale.ROOT, "fixed-answer agents: 4^%d answers, too many to play them all%n", perTurn);
      return;
    }
    List<String> answers = fixedAnswers(perTurn);
    double[] accuracy = new double[answers.size()];
    int[] solvedBy = new int[test.size()];
    int best = 0;
    for (int a = 0; a < answers.size(); a++) {
      ReferenceAgent agent = fixedAnswer(answers.get(a));
      int solved = 0;
      for (int t = 0; t < test.size(); t++) {
        if (Episodes.play(env, test.get(t), agent, Integer.MAX_VALUE).metrics().success()) {
          solvedBy[t]++;
          solved++;
        }
      }
      accuracy[a] = (double) solved / test.size();
      best = accuracy[a] > accuracy[best] ? a : best;
    }
    double[] sorted = accuracy.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "fixed-answer agents: %d answers of %d moves; best %s accuracy %.4f; "
        + "90th percentile %.4f, median %.4f, worst %.4f%n", answers.size(), perTurn, answers.get(best),
        accuracy[best], sorted[(int) (0.9 * (sorted.length - 1))], sorted[(sorted.length - 1) / 2], sorted[0]);
    long unsolved = Arrays.stream(solvedBy).filter(n -> n == 0).count();
    System.out.printf(Locale.ROOT, "levels no fixed answer solves: %d of %d%n", unsolved, test.size());
    if (perLevel != null) {
      StringBuilder tsv = new StringBuilder();
      for (int t = 0; t < test.size(); t++) {
        tsv.append(test.get(t).id()).append('\t').append(solvedBy[t]).append('\n');
      }
      try {
        java.nio.file.Files.writeString(perLevel, tsv);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + perLevel, e);
      }
      System.out.println("per level: " + perLevel);
    }
  }

  /** Every answer of exactly {@code moves} moves, in a fixed order. */
  static List<String> fixedAnswers(int moves) {
    int count = 1 << (2 * moves);
    List<String> answers = new ArrayList<>(count);
    for (int code = 0; code < count; code++) {
      List<Direction> actions = new ArrayList<>(moves);
      for (int i = 0, c = code; i < moves; i++, c >>= 2) {
        actions.add(Direction.of(c & 3));
      }
      answers.add(SokobanAnswer.format(actions));
    }
    return answers;
  }

  /** An agent that gives {@code answer} every turn. */
  static ReferenceAgent fixedAnswer(String answer) {
    return new ReferenceAgent() {
      @Override
      public void begin(Environment environment, Task task, String firstObservation) {}

      @Override
      public String act(String observation) {
        return answer;
      }
    };
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
