package io.skillsd.environments.sokoban;

import io.skillsd.environments.StepResult;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What a Sokoban episode did, move by move: the analyst's input for the skill summarizer.
 *
 * <p>Steps are numbered from 1 in the order they ran. A move is <em>wasted</em> when it left the state
 * unchanged (a bump into a wall or an unpushable box) or when it belongs to a detour that came back to an
 * earlier state (player and boxes where they were before). A <em>deadlock</em> is created by a push that leaves
 * a box off target in a corner, or against a wall along which the box can never reach a target (the wall runs
 * unbroken between two walls and there is no target on that stretch).
 *
 * @param boxes the level's box count
 * @param steps the moves that ran
 * @param solved whether the episode ended with every box on a target
 * @param boxesOnTarget boxes on targets at the end
 * @param pushes every push, in order
 * @param wastedSteps the step numbers of wasted moves, ascending
 * @param deadlocks the deadlocks created, in order
 * @param compressedMoves runs of equal moves, e.g. {@code Left×2, push Up×1}
 * @param optimal an optimal solution of the level from its start, when the solver finds one within its bounds
 */
public record SokobanAnalysis(
    int boxes,
    int steps,
    boolean solved,
    int boxesOnTarget,
    List<Push> pushes,
    List<Integer> wastedSteps,
    List<Deadlock> deadlocks,
    String compressedMoves,
    Optional<SokobanSolver.Solution> optimal) {

  /** The bound on the solver's work when the analysis computes the optimal length. */
  static final int ANALYSIS_MAX_STATES = 200_000;

  public SokobanAnalysis {
    pushes = List.copyOf(pushes);
    wastedSteps = List.copyOf(wastedSteps);
    deadlocks = List.copyOf(deadlocks);
    Objects.requireNonNull(compressedMoves, "compressedMoves");
    Objects.requireNonNull(optimal, "optimal");
  }

  /** The optimal solution length of the level, when the solver found one within its bounds. */
  public OptionalInt optimalLength() {
    return optimal.isPresent() ? OptionalInt.of(optimal.get().length()) : OptionalInt.empty();
  }

  /**
   * One push.
   *
   * @param step the step number
   * @param direction the push direction
   * @param from the box's cell before, {@code "row,col"}
   * @param to the box's cell after
   * @param ontoTarget the box ended on a target
   * @param offTarget the box left a target
   */
  public record Push(int step, Direction direction, String from, String to, boolean ontoTarget, boolean offTarget) {
    public Push {
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * A deadlock created by a push.
   *
   * @param step the step number of the push
   * @param box the box's cell, {@code "row,col"}
   * @param kind {@code corner} or {@code wall}
   */
  public record Deadlock(int step, String box, String kind) {
    public Deadlock {
      Objects.requireNonNull(box, "box");
      if (!kind.equals("corner") && !kind.equals("wall")) {
        throw new IllegalArgumentException("deadlock kind must be corner or wall, was " + kind);
      }
    }
  }

  /**
   * Analyses a Sokoban trajectory: the level is read from the first observation, the moves from each turn's
   * {@value SokobanEnvironment#MOVES} info.
   *
   * @throws IllegalArgumentException if the trajectory is not a Sokoban one
   */
  public static SokobanAnalysis of(Trajectory trajectory) {
    if (!SokobanEnvironment.NAME.equals(trajectory.environment())) {
      throw new IllegalArgumentException("not a Sokoban trajectory: " + trajectory.environment());
    }
    Level level = Level.parse(trajectory.firstObservation());
    List<Direction> moves = new ArrayList<>();
    for (Trajectory.Turn turn : trajectory.turns()) {
      StepResult r = turn.result();
      Object ran = r.info().get(SokobanEnvironment.MOVES);
      if (!(ran instanceof List)) {
        throw new IllegalArgumentException("a turn's info lacks '" + SokobanEnvironment.MOVES + "': " + r.info());
      }
      for (Object word : (List<?>) ran) {
        moves.add(Direction.parse(String.valueOf(word))
            .orElseThrow(() -> new IllegalArgumentException("unknown move in info: " + word)));
      }
    }
    return of(level, moves);
  }

  /** Analyses {@code moves} played from the start of {@code level}. */
  public static SokobanAnalysis of(Level level, List<Direction> moves) {
    Sokoban game = new Sokoban(level);
    List<Push> pushes = new ArrayList<>();
    List<Deadlock> deadlocks = new ArrayList<>();
    boolean[] wasted = new boolean[moves.size() + 1];
    // The current loop-free path of states, and where each state sits on it.
    List<Long> path = new ArrayList<>();
    List<Integer> stepOf = new ArrayList<>();
    Map<Long, Integer> onPath = new HashMap<>();
    long start = key(game);
    path.add(start);
    stepOf.add(0);
    onPath.put(start, 0);
    boolean[] pushedAt = new boolean[moves.size() + 1];

    for (int i = 1; i <= moves.size(); i++) {
      Direction d = moves.get(i - 1);
      int player = game.player();
      int box = player + level.delta(d);
      int result = game.move(d.id());
      if ((result & Sokoban.PUSHED) != 0) {
        pushedAt[i] = true;
        int to = box + level.delta(d);
        pushes.add(new Push(i, d, level.position(box), level.position(to), level.isTarget(to), level.isTarget(box)));
        int step = i;
        deadlockKind(level, to).ifPresent(kind -> deadlocks.add(new Deadlock(step, level.position(to), kind)));
      }
      long k = key(game);
      Integer earlier = onPath.get(k);
      if (earlier != null) {
        for (int p = path.size() - 1; p > earlier; p--) {
          wasted[stepOf.get(p)] = true;
          onPath.remove(path.remove(p));
          stepOf.remove(p);
        }
        wasted[i] = true;
      } else {
        onPath.put(k, path.size());
        path.add(k);
        stepOf.add(i);
      }
    }
    List<Integer> wastedSteps = new ArrayList<>();
    for (int i = 1; i <= moves.size(); i++) {
      if (wasted[i]) {
        wastedSteps.add(i);
      }
    }
    Optional<SokobanSolver.Solution> optimal = SokobanSolver.solve(level, Integer.MAX_VALUE, ANALYSIS_MAX_STATES);
    return new SokobanAnalysis(level.boxCount(), moves.size(), game.solved(), game.boxesOnTarget(), pushes,
        wastedSteps, deadlocks, compress(moves, pushedAt), optimal);
  }

  /** {@code corner} or {@code wall} when a box at {@code cell} can never reach a target, by the simple rules. */
  static Optional<String> deadlockKind(Level level, int cell) {
    if (level.isTarget(cell)) {
      return Optional.empty();
    }
    int up = level.delta(Direction.UP);
    int left = level.delta(Direction.LEFT);
    boolean vertical = level.isWall(cell + up) || level.isWall(cell - up);
    boolean horizontal = level.isWall(cell + left) || level.isWall(cell - left);
    if (vertical && horizontal) {
      return Optional.of("corner");
    }
    // Against a wall: walk along it both ways; dead if it never opens and no target lies on the stretch.
    for (int side : new int[] {up, -up, left, -left}) {
      if (!level.isWall(cell + side)) {
        continue;
      }
      int along = (side == up || side == -up) ? left : up;
      if (closedStretch(level, cell, side, along) && closedStretch(level, cell, side, -along)) {
        return Optional.of("wall");
      }
    }
    return Optional.empty();
  }

  private static boolean closedStretch(Level level, int cell, int side, int along) {
    for (int c = cell; !level.isWall(c); c += along) {
      if (level.isTarget(c) || !level.isWall(c + side)) {
        return false;
      }
    }
    return true;
  }

  private static String compress(List<Direction> moves, boolean[] pushedAt) {
    List<String> runs = new ArrayList<>();
    int i = 0;
    while (i < moves.size()) {
      int j = i;
      while (j + 1 < moves.size() && moves.get(j + 1) == moves.get(i) && pushedAt[j + 2] == pushedAt[i + 1]) {
        j++;
      }
      runs.add((pushedAt[i + 1] ? "push " : "") + moves.get(i).label() + "\u00D7" + (j - i + 1));
      i = j + 1;
    }
    return String.join(", ", runs);
  }

  private static long key(Sokoban game) {
    long key = game.player();
    int[] boxes = game.boxes();
    for (int k = 0; k < boxes.length; k++) {
      key |= ((long) boxes[k]) << (8 * (k + 1));
    }
    return key;
  }

  /** A few plain lines for a summarizer prompt. */
  public String summary() {
    OptionalInt optimalLength = optimalLength();
    String optimal = optimalLength.isPresent() ? " (optimal " + optimalLength.getAsInt() + ")" : "";
    StringBuilder sb = new StringBuilder();
    sb.append(solved
        ? "Outcome: solved in " + steps + " steps" + optimal
        : "Outcome: not solved, " + boxesOnTarget + " of " + boxes + " boxes on targets after " + steps + " steps"
            + optimal).append('\n');
    sb.append("Moves: ").append(compressedMoves.isEmpty() ? "none" : compressedMoves).append('\n');
    long onto = pushes.stream().filter(Push::ontoTarget).count();
    long off = pushes.stream().filter(Push::offTarget).count();
    sb.append("Pushes: ").append(pushes.size()).append(" (").append(onto).append(" onto a target, ").append(off)
        .append(" off a target)\n");
    sb.append("Wasted moves: ").append(wastedSteps.size());
    if (!wastedSteps.isEmpty()) {
      sb.append(" (steps ").append(wastedSteps.stream().map(String::valueOf).collect(Collectors.joining(", ")))
          .append(')');
    }
    sb.append('\n');
    sb.append("Deadlocks created: ").append(deadlocks.isEmpty() ? "none" : deadlocks.stream()
        .map(d -> "step " + d.step() + ", box at " + d.box() + " (" + d.kind() + ")")
        .collect(Collectors.joining("; ")));
    return sb.toString();
  }
}
