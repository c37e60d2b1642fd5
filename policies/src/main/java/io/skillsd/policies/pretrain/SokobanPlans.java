package io.skillsd.policies.pretrain;

import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.Sokoban;
import io.skillsd.environments.sokoban.SokobanAnalysis;
import io.skillsd.environments.sokoban.SokobanSolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The move sequences the pretraining data is made of, for one level and an action budget.
 *
 * <ul>
 *   <li>{@link #optimal}: the solver's plan.
 *   <li>{@link #detour}: a plan that still solves within the budget but is longer than the optimal one and
 *       has no wasted move: one to four random first moves, then the optimal plan from there.
 *   <li>{@link #wandering}: one to four random first moves (wasted ones too: a bump, a step and its reverse),
 *       then the optimal plan from there — a student's lucky success. Found on most levels, where a loop-free
 *       {@link #detour} is rare. The analyst's skill of such an episode quotes only its loop-free part.
 *   <li>{@link #corrupted}: the optimal plan with one or two random edits (a move replaced, dropped,
 *       inserted, or two neighbours swapped); it may still solve by chance.
 *   <li>{@link #random}: 1 to {@code budget} uniformly random moves.
 * </ul>
 */
public final class SokobanPlans {

  private static final int DETOUR_TRIES = 64;

  private SokobanPlans() {}

  /** The optimal plan within {@code budget} moves; throws if the level has none (levels are proven solvable). */
  public static List<Direction> optimal(Level level, int budget) {
    return SokobanSolver.solve(level, budget)
        .orElseThrow(() -> new IllegalArgumentException("no plan within " + budget + " moves:\n" + level.render()))
        .plan();
  }

  /** A loop-free solving plan longer than the optimal one, when one is found within a few random tries. */
  public static Optional<List<Direction>> detour(Level level, int budget, SplittableRandom rng) {
    int optimal = optimal(level, budget).size();
    for (int attempt = 0; attempt < DETOUR_TRIES; attempt++) {
      Optional<List<Direction>> plan = randomStartThenOptimal(level, budget, optimal, rng, false);
      if (plan.isPresent()) {
        SokobanAnalysis a = SokobanAnalysis.of(level, plan.get());
        if (a.solved() && a.wastedSteps().isEmpty() && plan.get().size() > optimal) {
          return plan;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A solving plan of one to four random first moves (which may be wasted: a bump, a step and its reverse) and
   * then the optimal plan from where they lead, longer than the optimal plan; empty when a few tries find none.
   */
  public static Optional<List<Direction>> wandering(Level level, int budget, SplittableRandom rng) {
    int optimal = optimal(level, budget).size();
    for (int attempt = 0; attempt < DETOUR_TRIES; attempt++) {
      Optional<List<Direction>> plan = randomStartThenOptimal(level, budget, optimal, rng, true);
      if (plan.isPresent() && plan.get().size() > optimal && SokobanAnalysis.of(level, plan.get()).solved()) {
        return plan;
      }
    }
    return Optional.empty();
  }

  /**
   * One try: one to four random moves (fewer when {@code stopWhenSolved} and they solve the level), then the
   * optimal plan from where they lead within the rest of the budget; empty when the moves solve the level, do not
   * fit the budget, or leave it unsolvable.
   */
  private static Optional<List<Direction>> randomStartThenOptimal(Level level, int budget, int optimal,
      SplittableRandom rng, boolean stopWhenSolved) {
    int prefixLength = 1 + rng.nextInt(4);
    if (optimal + prefixLength > budget) {
      return Optional.empty();
    }
    Sokoban game = new Sokoban(level);
    List<Direction> plan = new ArrayList<>();
    for (int i = 0; i < prefixLength && !(stopWhenSolved && game.solved()); i++) {
      Direction d = Direction.of(rng.nextInt(4));
      plan.add(d);
      game.move(d.id());
    }
    if (game.solved()) {
      return Optional.empty();
    }
    Optional<SokobanSolver.Solution> rest = SokobanSolver.solve(Level.parse(game.render()), budget - plan.size());
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    plan.addAll(rest.get().plan());
    return Optional.of(List.copyOf(plan));
  }

  /** The plan with one or two random edits, at most {@code budget} moves and at least one. */
  public static List<Direction> corrupted(List<Direction> plan, int budget, SplittableRandom rng) {
    List<Direction> p = new ArrayList<>(plan);
    int edits = 1 + rng.nextInt(2);
    for (int e = 0; e < edits; e++) {
      int kind = rng.nextInt(4);
      if (p.isEmpty()) {
        kind = 2;
      }
      switch (kind) {
        case 0 -> {
          int i = rng.nextInt(p.size());
          p.set(i, Direction.of((p.get(i).id() + 1 + rng.nextInt(3)) % 4));
        }
        case 1 -> p.remove(rng.nextInt(p.size()));
        case 2 -> p.add(rng.nextInt(p.size() + 1), Direction.of(rng.nextInt(4)));
        default -> {
          if (p.size() >= 2) {
            int i = rng.nextInt(p.size() - 1);
            Direction d = p.get(i);
            p.set(i, p.get(i + 1));
            p.set(i + 1, d);
          } else {
            p.set(0, Direction.of((p.get(0).id() + 1 + rng.nextInt(3)) % 4));
          }
        }
      }
    }
    if (p.isEmpty()) {
      p.add(Direction.of(rng.nextInt(4)));
    }
    return List.copyOf(p.subList(0, Math.min(p.size(), budget)));
  }

  /** 1 to {@code budget} uniformly random moves. */
  public static List<Direction> random(int budget, SplittableRandom rng) {
    int n = 1 + rng.nextInt(budget);
    List<Direction> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      p.add(Direction.of(rng.nextInt(4)));
    }
    return List.copyOf(p);
  }
}
