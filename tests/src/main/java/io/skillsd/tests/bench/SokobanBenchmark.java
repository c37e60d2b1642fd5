package io.skillsd.tests.bench;

import io.skillsd.environments.StepResult;
import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.ProvenLevel;
import io.skillsd.environments.sokoban.Sokoban;
import io.skillsd.environments.sokoban.SokobanAnswer;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.environments.sokoban.SokobanLevels;
import io.skillsd.environments.sokoban.SokobanSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Single-thread throughput of Sokoban (ragen preset): levels generated per second (with and without the
 * solver's solvability proof) and steps per second (the rules alone, the rules plus a text render, and the
 * whole text turn through {@link SokobanEnvironment#step(String)}). Steps are uniformly random actions on a
 * fixed level, restarting it when it is solved or reaches the step cap.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class SokobanBenchmark {

  private static final int ACTIONS = 1 << 16;

  private SokobanLevels levels;
  private long seed;
  private Sokoban game;
  private int maxSteps;
  private int[] actions;
  private int next;
  private SokobanEnvironment env;
  private Level level;
  private String[] answers;

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    SokobanSettings settings = SokobanSettings.ragen();
    levels = new SokobanLevels(settings);
    seed = 0;
    ProvenLevel proven = levels.levelFor(7);
    level = proven.level();
    game = new Sokoban(level);
    maxSteps = settings.maxSteps();
    SplittableRandom rng = new SplittableRandom(42);
    actions = new int[ACTIONS];
    answers = new String[ACTIONS];
    for (int i = 0; i < ACTIONS; i++) {
      actions[i] = rng.nextInt(4);
      answers[i] = SokobanAnswer.format(List.of(Direction.of(actions[i])));
    }
    env = new SokobanEnvironment(SokobanSettings.fromOptions(
        Map.of("one-action-per-turn", "true", "max-turns", "100", "max-actions", "100")));
    env.reset(level);
  }

  /** A level from the next seed, proven solvable by the solver: what a task or {@code reset} costs. */
  @Benchmark
  public ProvenLevel generateProvenLevel() {
    return levels.levelFor(seed++);
  }

  /** One generation attempt from the next seed (topology, placement, reverse play, nudge), no proof. */
  @Benchmark
  public Optional<Level> generateLevel() {
    return levels.generateUnproven(seed++);
  }

  /** One step under the rules, with its reward; no text. */
  @Benchmark
  public double stepWithoutRendering() {
    double r = game.step(actions[next++ & (ACTIONS - 1)]);
    if (game.solved() || game.steps() >= maxSteps) {
      game.reset();
    }
    return r;
  }

  /** One step and the grid rendered as text, as an observation needs. */
  @Benchmark
  public String stepWithRendering() {
    game.step(actions[next++ & (ACTIONS - 1)]);
    if (game.solved() || game.steps() >= maxSteps) {
      game.reset();
    }
    return game.render();
  }

  /** One turn of one action through the text interface: parse, step, info map and observation. */
  @Benchmark
  public StepResult environmentTurn() {
    StepResult r = env.step(answers[next++ & (ACTIONS - 1)]);
    if (r.done()) {
      env.reset(level);
    }
    return r;
  }
}
