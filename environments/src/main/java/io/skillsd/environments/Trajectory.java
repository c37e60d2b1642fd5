package io.skillsd.environments;

import java.util.List;
import java.util.Objects;

/**
 * A finished episode at the text level: what the skill summarizer reads and the run directory stores.
 *
 * @param environment the environment's registry name
 * @param task the task played
 * @param instructions the instruction prompt the agent saw
 * @param firstObservation the observation after reset
 * @param turns the turns in order
 * @param metrics success and completion at the end
 */
public record Trajectory(
    String environment,
    Task task,
    String instructions,
    String firstObservation,
    List<Turn> turns,
    EpisodeMetrics metrics) {

  public Trajectory {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(instructions, "instructions");
    Objects.requireNonNull(firstObservation, "firstObservation");
    Objects.requireNonNull(metrics, "metrics");
    turns = List.copyOf(turns);
  }

  /** The sum of the turns' rewards: the environment return. */
  public double totalReward() {
    return turns.stream().mapToDouble(Turn::reward).sum();
  }

  /**
   * One turn.
   *
   * @param actionText the model's raw text
   * @param result what the environment answered
   */
  public record Turn(String actionText, StepResult result) {
    public Turn {
      Objects.requireNonNull(actionText, "actionText");
      Objects.requireNonNull(result, "result");
    }

    public double reward() {
      return result.reward();
    }
  }
}
