package io.skillsd.skills.analyst;

import io.skillsd.environments.StepResult;
import io.skillsd.environments.Trajectory;
import io.skillsd.skills.analyst.TrajectoryFacts.Event;
import io.skillsd.skills.analyst.TrajectoryFacts.Kind;
import io.skillsd.skills.analyst.TrajectoryFacts.Outcome;
import io.skillsd.skills.analyst.TrajectoryFacts.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts any environment's trajectory yields from its turns alone: the validity and effect flags, the rewards
 * and the observations.
 *
 * <ul>
 *   <li>An action is named by the content of its {@code <answer>…</answer>} element when it has one, else by
 *       its whole text, whitespace collapsed and clipped.
 *   <li>The ordinary step's reward is the most frequent turn reward (the lowest among equally frequent ones).
 *       A turn is {@code PROGRESS} when its reward is above that or above 0; a valid turn is a
 *       {@code SETBACK} when its reward is below both. Invalid turns are {@code INVALID_ACTION}; valid turns
 *       that changed nothing are {@code NO_EFFECT}.
 *   <li>An event's detail quotes the observation's first sentence-like line (one with a space and at least
 *       three letters), which is where environments put feedback such as error messages; grids are skipped.
 *   <li>The workflow is the effective actions in order, consecutive repeats merged; when the task was not
 *       solved it stops at the last progress.
 * </ul>
 */
public final class GenericFactExtractor implements FactExtractor {

  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);
  private static final int MAX_ACTION_CHARS = 120;
  private static final int MAX_FEEDBACK_CHARS = 160;

  @Override
  public TrajectoryFacts extract(Trajectory trajectory) {
    List<Trajectory.Turn> turns = trajectory.turns();
    double ordinary = ordinaryReward(turns);
    List<Event> events = new ArrayList<>();
    List<String> effective = new ArrayList<>(); // the actions of effective valid turns, with their turn index
    List<Integer> effectiveTurn = new ArrayList<>();
    int lastProgressTurn = 0;
    for (int i = 0; i < turns.size(); i++) {
      int turn = i + 1;
      Trajectory.Turn t = turns.get(i);
      StepResult r = t.result();
      String action = actionName(t.actionText());
      String feedback = feedback(r.observation());
      if (!r.actionValid()) {
        events.add(new Event(turn, action, Kind.INVALID_ACTION, feedback));
        continue;
      }
      if (r.actionEffective()) {
        effective.add(action);
        effectiveTurn.add(turn);
      } else {
        events.add(new Event(turn, action, Kind.NO_EFFECT, feedback));
      }
      if (r.reward() > ordinary || r.reward() > 0) {
        String what = r.success() ? "solved the task" : "";
        events.add(new Event(turn, action, Kind.PROGRESS, join(signed(r.reward()), what, feedback)));
        lastProgressTurn = turn;
      } else if (r.reward() < ordinary && r.reward() < 0) {
        events.add(new Event(turn, action, Kind.SETBACK, join(signed(r.reward()), feedback)));
      }
    }
    Outcome outcome = outcome(trajectory);
    List<Step> workflow = new ArrayList<>();
    for (int k = 0; k < effective.size(); k++) {
      if (outcome != Outcome.SOLVED && effectiveTurn.get(k) > lastProgressTurn) {
        break;
      }
      String action = effective.get(k);
      Step last = workflow.isEmpty() ? null : workflow.get(workflow.size() - 1);
      if (last != null && last.action().equals(action)) {
        workflow.set(workflow.size() - 1, new Step(action, last.repeats() + 1));
      } else {
        workflow.add(new Step(action, 1));
      }
    }
    return new TrajectoryFacts(trajectory.environment(), trajectory.task().id(), outcome,
        trajectory.metrics().completion(), trajectory.totalReward(), turns.size(), workflow, events, List.of());
  }

  /** How the trajectory ended. */
  static Outcome outcome(Trajectory trajectory) {
    if (trajectory.metrics().success()) {
      return Outcome.SOLVED;
    }
    if (trajectory.turns().isEmpty()) {
      return Outcome.NO_ACTION;
    }
    return trajectory.turns().get(trajectory.turns().size() - 1).result().done() ? Outcome.FAILED : Outcome.TURN_LIMIT;
  }

  /** The action's name: the {@code <answer>} content if present, else the text; one line, clipped. */
  public static String actionName(String actionText) {
    Matcher m = ANSWER.matcher(actionText);
    String text = m.find() ? m.group(1) : actionText;
    text = text.strip().replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return "(empty answer)";
    }
    return text.length() <= MAX_ACTION_CHARS ? text : text.substring(0, MAX_ACTION_CHARS) + "…";
  }

  /** The observation's first sentence-like line, clipped and in double quotes; empty if it has none. */
  public static String feedback(String observation) {
    for (String line : observation.split("\n")) {
      String s = line.strip();
      long letters = s.chars().filter(Character::isLetter).count();
      if (s.indexOf(' ') > 0 && letters >= 3) {
        return "\"" + (s.length() <= MAX_FEEDBACK_CHARS ? s : s.substring(0, MAX_FEEDBACK_CHARS) + "…") + "\"";
      }
    }
    return "";
  }

  private static double ordinaryReward(List<Trajectory.Turn> turns) {
    Map<Double, Integer> counts = new HashMap<>();
    for (Trajectory.Turn t : turns) {
      counts.merge(t.reward(), 1, Integer::sum);
    }
    double best = 0.0;
    int bestCount = 0;
    for (Map.Entry<Double, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  private static String signed(double reward) {
    return String.format(Locale.ROOT, "reward %+.2f", reward);
  }

  private static String join(String... parts) {
    StringBuilder s = new StringBuilder();
    for (String p : parts) {
      if (!p.isEmpty()) {
        s.append(s.length() == 0 ? "" : "; ").append(p);
      }
    }
    return s.toString();
  }
}
