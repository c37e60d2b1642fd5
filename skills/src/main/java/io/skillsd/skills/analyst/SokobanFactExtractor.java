package io.skillsd.skills.analyst;

import io.skillsd.environments.Trajectory;
import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.SokobanAnalysis;
import io.skillsd.environments.sokoban.SokobanAnswer;
import io.skillsd.environments.sokoban.SokobanEnvironment;
import io.skillsd.skills.analyst.TrajectoryFacts.Event;
import io.skillsd.skills.analyst.TrajectoryFacts.Kind;
import io.skillsd.skills.analyst.TrajectoryFacts.Outcome;
import io.skillsd.skills.analyst.TrajectoryFacts.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Sokoban facts from {@link SokobanAnalysis}: the move-level plan instead of the generic turn-level one.
 *
 * <ul>
 *   <li>Workflow: the moves with the wasted ones taken out (bumps, and detours that came back to an earlier
 *       state), in runs of equal moves, pushes marked ({@code Left ×2, push Up}). A solved episode gives its
 *       whole loop-free plan; an unsolved one the plan up to its last push onto a target, when no deadlock
 *       came before it, else nothing.
 *   <li>Events: each deadlocking push, as an {@link Kind#ERROR} at the turn that made it.
 *   <li>Lessons: for a solved episode, the plan as the answers that replay it turn by turn (chunked by the
 *       per-turn limit the instructions state) and how it compares with the optimal length; for every
 *       episode, how many moves were wasted and, after a deadlock, the rule it broke.
 * </ul>
 *
 * <p>The generic facts (invalid turns, turns without effect, rewards) are kept. A trajectory with no turns,
 * or whose turns lack the environment's {@value SokobanEnvironment#MOVES} info, gets the generic facts only.
 *
 * <p>With {@code solveFailures} (opt-in; {@code skillsd.skills.analyst.solve-failures}) the analyst also
 * corrects an unsolved episode: its lessons carry the answers of an optimal plan from the level's start, found
 * by the analysis's solver ({@link SokobanAnalysis#optimal}) — the correction a summarizer that can plan (a strong language model) would write
 * into a failure's golden workflow. A failure's skill then shows the teacher the level's solution, as a
 * success's does; without it, a failure's skill has no plan to follow.
 */
public final class SokobanFactExtractor implements FactExtractor {

  private static final Pattern UP_TO = Pattern.compile("up to (\\d+) actions per turn");
  private static final Pattern EXACTLY_ONE = Pattern.compile("exactly one action per turn");

  private final GenericFactExtractor generic = new GenericFactExtractor();
  private final boolean solveFailures;

  /** Facts of what the episode did; a failure gets no plan it did not play. */
  public SokobanFactExtractor() {
    this(false);
  }

  /** As {@link #SokobanFactExtractor()}, and with {@code solveFailures} a failure's lessons carry a solution. */
  public SokobanFactExtractor(boolean solveFailures) {
    this.solveFailures = solveFailures;
  }

  @Override
  public TrajectoryFacts extract(Trajectory trajectory) {
    TrajectoryFacts facts = generic.extract(trajectory);
    if (!SokobanEnvironment.NAME.equals(trajectory.environment()) || trajectory.turns().isEmpty()
        || !trajectory.turns().stream().allMatch(t -> t.result().info().get(SokobanEnvironment.MOVES) instanceof List)) {
      return facts;
    }
    SokobanAnalysis analysis = SokobanAnalysis.of(trajectory);
    List<Direction> moves = moves(trajectory);
    int[] turnOfStep = turnOfStep(trajectory);
    Set<Integer> pushSteps = analysis.pushes().stream().map(SokobanAnalysis.Push::step)
        .collect(Collectors.toCollection(HashSet::new));
    Set<Integer> wasted = new HashSet<>(analysis.wastedSteps());

    int firstDeadlock = analysis.deadlocks().isEmpty() ? Integer.MAX_VALUE : analysis.deadlocks().get(0).step();
    int planEnd;
    if (facts.outcome() == Outcome.SOLVED) {
      planEnd = moves.size();
    } else {
      planEnd = 0;
      for (SokobanAnalysis.Push p : analysis.pushes()) {
        if (p.ontoTarget() && !wasted.contains(p.step()) && p.step() < firstDeadlock) {
          planEnd = p.step();
        }
      }
    }
    List<Integer> kept = new ArrayList<>(); // step numbers of the loop-free plan, in order
    for (int step = 1; step <= planEnd; step++) {
      if (!wasted.contains(step)) {
        kept.add(step);
      }
    }

    List<Event> deadlocks = new ArrayList<>();
    for (SokobanAnalysis.Deadlock d : analysis.deadlocks()) {
      Direction dir = moves.get(d.step() - 1);
      String where = d.kind().equals("corner") ? "into a corner off target"
          : "against a wall with no target along it";
      deadlocks.add(new Event(turnOfStep[d.step()], "push " + dir.label(), Kind.ERROR,
          "move " + d.step() + " pushed the box to " + d.box() + ", " + where + ": it can never reach a target"));
    }

    List<String> lessons = new ArrayList<>();
    if (facts.outcome() == Outcome.SOLVED) {
      List<Direction> plan = kept.stream().map(s -> moves.get(s - 1)).toList();
      lessons.add("Answers that solve it from the start: " + answers(plan, perTurn(trajectory)) + ".");
      if (analysis.optimalLength().isPresent()) {
        int optimal = analysis.optimalLength().getAsInt();
        lessons.add(plan.size() == optimal
            ? "This plan is optimal: " + optimal + " moves."
            : "This plan takes " + plan.size() + " moves; the shortest takes " + optimal + ".");
      }
    } else if (analysis.optimal().isPresent()) {
      List<Direction> optimal = analysis.optimal().get().plan();
      lessons.add("The level can be solved in " + optimal.size() + " moves.");
      if (solveFailures) {
        lessons.add("Answers that solve it from the start (a correction found by search, not played): "
            + answers(optimal, perTurn(trajectory)) + ".");
      }
    }
    if (!wasted.isEmpty()) {
      lessons.add(wasted.size() + " of the " + moves.size() + " moves were wasted (bumps, or detours back to an "
          + "earlier state): moves " + analysis.wastedSteps().stream().limit(8).map(String::valueOf)
              .collect(Collectors.joining(", ")) + (wasted.size() > 8 ? " and more" : "") + ".");
    }
    if (!deadlocks.isEmpty()) {
      lessons.add("Never push a box off target into a corner, or against a wall that has no target along it.");
    }
    return facts.withWorkflow(steps(kept, moves, pushSteps)).withEvents(deadlocks).withLessons(lessons);
  }

  /** The moves that ran, in order, from each turn's info. */
  private static List<Direction> moves(Trajectory trajectory) {
    List<Direction> moves = new ArrayList<>();
    for (Trajectory.Turn turn : trajectory.turns()) {
      for (Object word : (List<?>) turn.result().info().get(SokobanEnvironment.MOVES)) {
        moves.add(Direction.parse(String.valueOf(word)).orElseThrow());
      }
    }
    return moves;
  }

  /** For each step number (1-based), the turn (1-based) that ran it. */
  private static int[] turnOfStep(Trajectory trajectory) {
    List<Integer> turnOf = new ArrayList<>();
    turnOf.add(0);
    for (int t = 0; t < trajectory.turns().size(); t++) {
      int n = ((List<?>) trajectory.turns().get(t).result().info().get(SokobanEnvironment.MOVES)).size();
      for (int k = 0; k < n; k++) {
        turnOf.add(t + 1);
      }
    }
    return turnOf.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Runs of equal moves with equal push flags, as workflow steps. */
  private static List<Step> steps(List<Integer> kept, List<Direction> moves, Set<Integer> pushSteps) {
    List<Step> steps = new ArrayList<>();
    String last = null;
    for (int step : kept) {
      String action = (pushSteps.contains(step) ? "push " : "") + moves.get(step - 1).label();
      if (action.equals(last)) {
        Step s = steps.remove(steps.size() - 1);
        steps.add(new Step(action, s.repeats() + 1));
      } else {
        steps.add(new Step(action, 1));
      }
      last = action;
    }
    return steps;
  }

  /** The per-turn action limit the instructions state; the most moves a turn ran when they state none. */
  static int perTurn(Trajectory trajectory) {
    Matcher m = UP_TO.matcher(trajectory.instructions());
    if (m.find()) {
      return Math.max(1, Integer.parseInt(m.group(1)));
    }
    if (EXACTLY_ONE.matcher(trajectory.instructions()).find()) {
      return 1;
    }
    int most = 1;
    for (Trajectory.Turn turn : trajectory.turns()) {
      most = Math.max(most, ((List<?>) turn.result().info().get(SokobanEnvironment.MOVES)).size());
    }
    return most;
  }

  /** {@code turn 1 <answer>Left || Up</answer>, turn 2 <answer>Down</answer>}. */
  private static String answers(List<Direction> plan, int perTurn) {
    if (plan.isEmpty()) {
      return "none (the level starts solved)";
    }
    List<String> parts = new ArrayList<>();
    for (int from = 0, turn = 1; from < plan.size(); from += perTurn, turn++) {
      parts.add("turn " + turn + " " + SokobanAnswer.format(plan.subList(from, Math.min(plan.size(), from + perTurn))));
    }
    return String.join(", ", parts);
  }
}
