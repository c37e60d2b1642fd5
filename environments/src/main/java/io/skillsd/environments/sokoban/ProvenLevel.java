package io.skillsd.environments.sokoban;

import java.util.Objects;

/**
 * A generated level with the solver's proof that it is solvable within the step cap.
 *
 * @param seed the seed it was generated from
 * @param level the level
 * @param solution an optimal plan for it
 */
public record ProvenLevel(long seed, Level level, SokobanSolver.Solution solution) {
  public ProvenLevel {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(solution, "solution");
  }

  /** The optimal solution length in steps. */
  public int optimalLength() {
    return solution.length();
  }
}
