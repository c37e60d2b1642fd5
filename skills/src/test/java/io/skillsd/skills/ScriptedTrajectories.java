package io.skillsd.skills;

import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.Split;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-written trajectories whose facts the tests know exactly. */
public final class ScriptedTrajectories {

  public static final Task SOKOBAN_TASK = new Task("sokoban/skill-sd/train/017", Split.TRAIN, 17, 1);
  public static final Task APP_TASK = new Task("miniappworld/train/send-money/2", Split.TRAIN, 2, 2);

  private ScriptedTrajectories() {}

  /** A builder of turns: action text, reward, observation, flags. */
  public static final class Builder {
    private final List<Trajectory.Turn> turns = new ArrayList<>();

    public Builder turn(String action, double reward, String observation, boolean valid, boolean effective,
        boolean done, boolean success) {
      turns.add(new Trajectory.Turn(action, new StepResult(observation, reward, done,
          Map.of(StepResult.SUCCESS, success, StepResult.ACTION_VALID, valid, StepResult.ACTION_EFFECTIVE, effective))));
      return this;
    }

    public Builder move(String dir, double reward, String observation) {
      return turn("<think>go " + dir + "</think><answer>" + dir + "</answer>", reward, observation, true, true, false,
          false);
    }

    public Trajectory build(String env, Task task, boolean success, double completion) {
      return new Trajectory(env, task, "Push every box onto a target. Answer with <answer>Up|Down|Left|Right</answer>.",
          "######\n#P_X_#\n#__O_#\n######", turns, new EpisodeMetrics(success, completion));
    }
  }

  /**
   * A solved Sokoban episode: Right, an unparseable turn, Up into a wall (no effect), Right, then Down
   * pushes the box onto the target and solves the level.
   */
  public static Trajectory solved() {
    return new Builder()
        .move("Right", -0.1, "grid after Right")
        .turn("I think I should move the box", -0.1, "Invalid action: no <answer> found.", false, false, false, false)
        .turn("<answer>Up</answer>", -0.1, "You bumped into a wall.", true, false, false, false)
        .move("Right", -0.1, "grid after second Right")
        .turn("<answer>Down</answer>", 10.9, "Solved!", true, true, true, true)
        .build("sokoban", SOKOBAN_TASK, true, 1.0);
  }

  /** A failed Sokoban episode: one box goes on then off a target, then the moves run out. */
  public static Trajectory failed() {
    return new Builder()
        .move("Down", 0.9, "box on target")
        .move("Down", -1.1, "box pushed off the target")
        .move("Left", -0.1, "grid")
        .turn("<answer>Left</answer>", -0.1, "You bumped into a wall.", true, false, false, false)
        .turn("<answer>Left</answer>", -0.1, "You bumped into a wall.", true, false, true, false)
        .build("sokoban", SOKOBAN_TASK, false, 0.0);
  }
}
