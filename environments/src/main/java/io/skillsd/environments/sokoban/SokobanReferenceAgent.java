package io.skillsd.environments.sokoban;

import io.skillsd.environments.Environment;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import java.util.List;

/**
 * Plays the solver's optimal plan through the text interface: it reads the level from the first observation,
 * solves it, and answers each turn with the next actions of the plan (as many as a turn allows).
 */
public final class SokobanReferenceAgent implements ReferenceAgent {

  private List<Direction> plan = List.of();
  private int next;
  private int perTurn = 1;

  @Override
  public void begin(Environment environment, Task task, String firstObservation) {
    int maxLength = 10_000;
    perTurn = 1;
    if (environment instanceof SokobanEnvironment) {
      SokobanSettings s = ((SokobanEnvironment) environment).settings();
      maxLength = Math.min(s.maxSteps(), s.maxActions());
      perTurn = s.maxActionsPerTurn();
    }
    Level level = Level.parse(firstObservation);
    plan = SokobanSolver.solve(level, maxLength)
        .orElseThrow(() -> new IllegalStateException("the solver found no plan for task " + task.id() + ":\n"
            + level.render()))
        .plan();
    next = 0;
  }

  @Override
  public String act(String observation) {
    if (next >= plan.size()) {
      throw new IllegalStateException("the plan is spent but the episode goes on");
    }
    int end = Math.min(plan.size(), next + perTurn);
    List<Direction> chunk = plan.subList(next, end);
    next = end;
    return SokobanAnswer.format(chunk);
  }

  /** The plan of the current episode. */
  public List<Direction> plan() {
    return plan;
  }
}
