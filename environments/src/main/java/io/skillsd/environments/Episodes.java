package io.skillsd.environments;

import java.util.ArrayList;
import java.util.List;

/** Plays whole episodes with a {@link ReferenceAgent}: for tests, the CLI and baselines. */
public final class Episodes {

  private Episodes() {}

  /** Plays {@code task} to the end (or {@code maxTurns}) and returns the trajectory. */
  public static Trajectory play(Environment env, Task task, ReferenceAgent agent, int maxTurns) {
    String first = env.reset(task);
    agent.begin(env, task, first);
    List<Trajectory.Turn> turns = new ArrayList<>();
    String observation = first;
    for (int i = 0; i < maxTurns; i++) {
      String action = agent.act(observation);
      StepResult result = env.step(action);
      turns.add(new Trajectory.Turn(action, result));
      observation = result.observation();
      if (result.done()) {
        break;
      }
    }
    return new Trajectory(env.name(), task, env.instructions(), first, turns, env.metrics());
  }
}
