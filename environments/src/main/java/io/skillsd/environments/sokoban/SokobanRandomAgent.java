package io.skillsd.environments.sokoban;

import io.skillsd.environments.Environment;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The random baseline: each turn, as many uniformly random actions as a turn allows. Reproducible: the actions
 * of an episode depend only on the agent's seed and the task's seed ({@link SplitMix64}).
 */
public final class SokobanRandomAgent implements ReferenceAgent {

  private final long seed;
  private SplitMix64 rng;
  private int perTurn = 1;

  public SokobanRandomAgent(long seed) {
    this.seed = seed;
  }

  @Override
  public void begin(Environment environment, Task task, String firstObservation) {
    rng = new SplitMix64(seed * 0x9E3779B97F4A7C15L ^ task.seed());
    perTurn = environment instanceof SokobanEnvironment
        ? ((SokobanEnvironment) environment).settings().maxActionsPerTurn()
        : 1;
  }

  @Override
  public String act(String observation) {
    if (rng == null) {
      throw new IllegalStateException("begin must be called before act");
    }
    List<Direction> actions = new ArrayList<>(perTurn);
    for (int i = 0; i < perTurn; i++) {
      actions.add(Direction.of(rng.nextInt(4)));
    }
    return SokobanAnswer.format(actions);
  }
}
