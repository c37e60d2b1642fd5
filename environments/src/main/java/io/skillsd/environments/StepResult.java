package io.skillsd.environments;

import java.util.Map;
import java.util.Objects;

/**
 * What one turn produced.
 *
 * @param observation the text the agent sees next
 * @param reward the reward of this turn
 * @param done whether the episode ended (solved, failed for good, or out of steps or turns)
 * @param info facts about the turn; always holds {@link #SUCCESS}, {@link #ACTION_VALID} and
 *     {@link #ACTION_EFFECTIVE}, plus environment-specific keys. Values are Strings, numbers, booleans or
 *     lists of those, so the map serializes to JSON and travels between actors.
 */
public record StepResult(String observation, double reward, boolean done, Map<String, Object> info) {

  public static final String SUCCESS = "success";
  public static final String ACTION_VALID = "actionValid";
  public static final String ACTION_EFFECTIVE = "actionEffective";

  public StepResult {
    Objects.requireNonNull(observation, "observation");
    info = Map.copyOf(info);
    for (String key : new String[] {SUCCESS, ACTION_VALID, ACTION_EFFECTIVE}) {
      if (!(info.get(key) instanceof Boolean)) {
        throw new IllegalArgumentException("info must hold boolean '" + key + "': " + info);
      }
    }
  }

  public boolean success() {
    return (Boolean) info.get(SUCCESS);
  }

  public boolean actionValid() {
    return (Boolean) info.get(ACTION_VALID);
  }

  public boolean actionEffective() {
    return (Boolean) info.get(ACTION_EFFECTIVE);
  }
}
