package io.skillsd.environments.sokoban;

import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import io.skillsd.environments.TaskSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed-to-level function and the task sets built on it.
 *
 * <p>A seed always gives the same level, on every JVM: a {@link SplitMix64} stream seeded with it drives
 * {@link LevelGenerator}; when an attempt fails (every try scored 0) or the solver finds no plan within one
 * episode ({@link #solutionBound()}: the step cap or the action budget, whichever is smaller), generation goes on
 * with the same stream's next draws, so every level a seed gives is proven solvable under the protocol. (RAGEN
 * keeps the few levels, about 0.6% at 6×6 with one box, whose optimal plan exceeds its 10-action budget; here
 * they are replaced, so that the reference agent solves every task.) Not thread-safe; use one instance per
 * thread.
 */
public final class SokobanLevels {

  /** Attempts per seed before giving up; only reachable with settings that leave almost no floor. */
  static final int MAX_ATTEMPTS = 10_000;

  private static final Map<SokobanSettings, TaskSet> TASK_SETS = new ConcurrentHashMap<>();

  private final SokobanSettings settings;
  private final LevelGenerator generator;

  public SokobanLevels(SokobanSettings settings) {
    this.settings = settings;
    this.generator = new LevelGenerator(settings.rows(), settings.cols(), settings.boxes(), settings.searchDepth());
  }

  /** One generation attempt (up to 4 tries) from {@code seed}, without the solvability proof. */
  public Optional<Level> generateUnproven(long seed) {
    return generator.generate(new SplitMix64(seed));
  }

  /**
   * The level of {@code seed}, proven solvable within {@link #solutionBound()} steps.
   *
   * @throws IllegalStateException if no solvable level appears within {@value #MAX_ATTEMPTS} attempts
   */
  public ProvenLevel levelFor(long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Level> level = generator.generate(rng);
      if (level.isPresent()) {
        Optional<SokobanSolver.Solution> solution = SokobanSolver.solve(level.get(), solutionBound());
        if (solution.isPresent()) {
          return new ProvenLevel(seed, level.get(), solution.get());
        }
      }
    }
    throw new IllegalStateException("no solvable level from seed " + seed + " in " + MAX_ATTEMPTS
        + " attempts with " + settings);
  }

  /** The longest optimal plan a level may need: what one episode allows. */
  public int solutionBound() {
    return Math.min(settings.maxSteps(), settings.maxActions());
  }

  /** The task set of {@code settings}, built once per JVM and settings. */
  public static TaskSet taskSet(SokobanSettings settings) {
    return TASK_SETS.computeIfAbsent(settings, s -> new SokobanLevels(s).buildTaskSet());
  }

  /**
   * Training levels from seeds {@code trainSeed, trainSeed + 1, …} and held-out levels from {@code testSeed,
   * …}; a seed whose level repeats one already taken (in either split) is skipped, so the splits are disjoint.
   * Training tasks are in curriculum order (optimal length, then seed) when the settings ask for it.
   * A task's difficulty is its level's optimal solution length.
   */
  TaskSet buildTaskSet() {
    Set<Level> taken = new HashSet<>();
    List<ProvenLevel> train = collect(settings.trainSeed(), settings.trainSize(), taken);
    List<ProvenLevel> test = collect(settings.testSeed(), settings.testSize(), taken);
    if (settings.curriculum()) {
      train.sort(Comparator.comparingInt(ProvenLevel::optimalLength).thenComparingLong(ProvenLevel::seed));
    }
    return new TaskSet(tasks(train, Split.TRAIN), tasks(test, Split.TEST));
  }

  private List<ProvenLevel> collect(long firstSeed, int size, Set<Level> taken) {
    List<ProvenLevel> out = new ArrayList<>();
    long limit = firstSeed + 100L * size + 1000;
    for (long seed = firstSeed; out.size() < size; seed++) {
      if (seed == limit) {
        throw new IllegalStateException("only " + out.size() + " distinct levels from seeds " + firstSeed + " to "
            + limit + "; " + size + " were asked for with " + settings);
      }
      ProvenLevel level = levelFor(seed);
      if (taken.add(level.level())) {
        out.add(level);
      }
    }
    return out;
  }

  private List<Task> tasks(List<ProvenLevel> levels, Split split) {
    List<Task> out = new ArrayList<>();
    for (int i = 0; i < levels.size(); i++) {
      ProvenLevel l = levels.get(i);
      out.add(new Task(String.format("sokoban/%s/%s/%03d", settings.preset(), split.label(), i), split, l.seed(),
          Math.max(1, l.optimalLength())));
    }
    return out;
  }

  /** The ad-hoc task of {@code seed} (outside the fixed splits, marked held-out). */
  public Task taskForSeed(long seed) {
    return new Task("sokoban/" + settings.preset() + "/seed/" + seed, Split.TEST, seed,
        Math.max(1, levelFor(seed).optimalLength()));
  }
}
