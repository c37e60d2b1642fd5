package io.skillsd.skills.analyst;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The facts of one trajectory that an analyst's skill states: the seam between what an environment knows
 * about its own episodes and the text {@link SkillWriter} writes. {@link GenericFactExtractor} fills it from
 * any trajectory's turns; an environment's own {@link FactExtractor} can refine it (Sokoban: pushes,
 * deadlocks, a workflow without wasted moves; MiniAppWorld: the API calls that worked, the errors and why)
 * — typically by starting from the generic facts and replacing the workflow, adding events and lessons.
 *
 * @param environment the environment's registry name
 * @param taskId the task
 * @param outcome how the episode ended
 * @param completion partial credit in [0, 1]
 * @param totalReward the environment return
 * @param turns the number of turns played
 * @param workflow the steps worth repeating, in order: when solved, every step that had an effect; otherwise
 *     the effective steps up to the last one that made progress (empty when none did)
 * @param events what happened at particular turns — progress, invalid actions, actions without effect,
 *     setbacks, errors — in turn order
 * @param lessons general advice for this task that the environment can state with certainty (may be empty)
 */
public record TrajectoryFacts(
    String environment,
    String taskId,
    Outcome outcome,
    double completion,
    double totalReward,
    int turns,
    List<Step> workflow,
    List<Event> events,
    List<String> lessons) {

  public TrajectoryFacts {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(outcome, "outcome");
    if (!(completion >= 0.0 && completion <= 1.0)) {
      throw new IllegalArgumentException("completion must be in [0, 1], was " + completion);
    }
    if (!Double.isFinite(totalReward)) {
      throw new IllegalArgumentException("totalReward must be finite, was " + totalReward);
    }
    if (turns < 0) {
      throw new IllegalArgumentException("turns must be >= 0, was " + turns);
    }
    workflow = List.copyOf(workflow);
    events = List.copyOf(events);
    lessons = List.copyOf(lessons);
    for (Event e : events) {
      if (e.turn() > turns) {
        throw new IllegalArgumentException("event at turn " + e.turn() + " of a " + turns + "-turn trajectory");
      }
    }
  }

  /** These facts with another workflow (an environment's compressed one, say). */
  public TrajectoryFacts withWorkflow(List<Step> other) {
    return new TrajectoryFacts(environment, taskId, outcome, completion, totalReward, turns, other, events, lessons);
  }

  /** These facts with {@code more} events merged in turn order (stable: existing events first on a tie). */
  public TrajectoryFacts withEvents(List<Event> more) {
    List<Event> merged = new ArrayList<>(events);
    merged.addAll(more);
    merged.sort(Comparator.comparingInt(Event::turn));
    return new TrajectoryFacts(environment, taskId, outcome, completion, totalReward, turns, workflow, merged, lessons);
  }

  /** These facts with {@code more} lessons appended. */
  public TrajectoryFacts withLessons(List<String> more) {
    List<String> all = new ArrayList<>(lessons);
    all.addAll(more);
    return new TrajectoryFacts(environment, taskId, outcome, completion, totalReward, turns, workflow, events, all);
  }

  /** The events of one kind, in turn order. */
  public List<Event> events(Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).toList();
  }

  /** How the episode ended. */
  public enum Outcome {
    /** The task was solved. */
    SOLVED,
    /** The environment ended the episode without success (failed for good, or out of steps). */
    FAILED,
    /** The episode was still open when the turn limit stopped it. */
    TURN_LIMIT,
    /** No turn was played. */
    NO_ACTION
  }

  /** What kind of thing happened at a turn. */
  public enum Kind {
    /** The turn moved toward the goal (reward above the ordinary step's, a sub-goal reached). */
    PROGRESS,
    /** The text was not a valid action. */
    INVALID_ACTION,
    /** A valid action that changed nothing. */
    NO_EFFECT,
    /** A valid action that lost ground (reward below the ordinary step's). */
    SETBACK,
    /** An environment-specific error or irrecoverable state (a deadlock, an API error). */
    ERROR
  }

  /**
   * One step of a workflow: an action, repeated {@code repeats} times in a row.
   *
   * @param action the action as a person would write it ({@code Right}, {@code phone.search_contacts})
   * @param repeats how many times in a row, >= 1
   */
  public record Step(String action, int repeats) {
    public Step {
      Objects.requireNonNull(action, "action");
      if (action.isBlank() || repeats < 1) {
        throw new IllegalArgumentException("a step needs an action and repeats >= 1");
      }
    }

    /** {@code Right} or {@code Right ×3}. */
    public String text() {
      return repeats == 1 ? action : action + " ×" + repeats;
    }
  }

  /**
   * Something that happened at one turn.
   *
   * @param turn 1-based turn number
   * @param action the action as a person would write it
   * @param kind what kind of thing
   * @param detail what happened, as a short phrase ({@code reward +0.90: box on target}); may be empty
   */
  public record Event(int turn, String action, Kind kind, String detail) {
    public Event {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
      if (turn < 1) {
        throw new IllegalArgumentException("turn must be >= 1, was " + turn);
      }
    }
  }
}
