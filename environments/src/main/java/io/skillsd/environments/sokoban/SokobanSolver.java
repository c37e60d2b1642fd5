package io.skillsd.environments.sokoban;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An optimal Sokoban solver: breadth-first search over single moves, so the first solution found has the fewest
 * steps (RAGEN counts every move as a step, so that is the length that matters). Two kinds of deadlock are
 * pruned; both are provably unsolvable, so pruning never loses an optimal plan:
 *
 * <ul>
 *   <li>dead squares: cells from which no box can ever reach a target (found once per level by pulling a box
 *       backwards from every target);
 *   <li>freeze deadlocks: a pushed box, off target, that can no longer move along either axis because walls,
 *       dead squares or other frozen boxes block it.
 * </ul>
 *
 * <p>States are encoded in a {@code long} (player cell and sorted box cells, 8 bits each), which bounds levels
 * to 256 cells and 7 boxes.
 */
public final class SokobanSolver {

  /** The most boxes a level may have for this solver. */
  public static final int MAX_BOXES = 7;
  /** The most cells a level may have for this solver. */
  public static final int MAX_CELLS = 256;
  /** The default bound on explored states before the solver gives up. */
  public static final int DEFAULT_MAX_STATES = 2_000_000;

  /**
   * An optimal plan.
   *
   * @param plan the moves, in order; empty if the level starts solved
   */
  public record Solution(List<Direction> plan) {
    public Solution {
      plan = List.copyOf(plan);
    }

    /** The number of steps: the optimal solution length. */
    public int length() {
      return plan.size();
    }

    /** The plan as comma-separated words, e.g. {@code Up, Left, Left}. */
    public String describe() {
      return plan.stream().map(Direction::label).collect(Collectors.joining(", "));
    }
  }

  private SokobanSolver() {}

  /** The optimal plan of at most {@code maxLength} steps, or empty if none exists within that length. */
  public static Optional<Solution> solve(Level level, int maxLength) {
    return solve(level, maxLength, DEFAULT_MAX_STATES);
  }

  /**
   * As {@link #solve(Level, int)}, giving up (empty) after {@code maxStates} explored states: then the level is
   * not proven either way.
   */
  public static Optional<Solution> solve(Level level, int maxLength, int maxStates) {
    Objects.requireNonNull(level, "level");
    if (level.boxCount() > MAX_BOXES || level.rows() * level.cols() > MAX_CELLS) {
      throw new IllegalArgumentException("the solver handles up to " + MAX_BOXES + " boxes and " + MAX_CELLS
          + " cells; the level has " + level.boxCount() + " boxes and " + level.rows() * level.cols() + " cells");
    }
    return new Search(level, maxLength, maxStates).run();
  }

  /**
   * Cells where a box can never reach a target: not reachable by pulling a box from any target. Walls are
   * not dead squares (no box can be there).
   */
  public static boolean[] deadSquares(Level level) {
    int n = level.rows() * level.cols();
    boolean[] live = new boolean[n];
    int[] queue = new int[n];
    for (int t = 0; t < n; t++) {
      if (!level.isTarget(t) || live[t]) {
        continue;
      }
      int head = 0;
      int tail = 0;
      live[t] = true;
      queue[tail++] = t;
      while (head < tail) {
        int box = queue[head++];
        for (Direction d : Direction.values()) {
          int step = level.delta(d);
          int to = box + step;
          int playerTo = to + step;
          if (!level.isWall(to) && playerTo >= 0 && playerTo < n && !level.isWall(playerTo) && !live[to]) {
            live[to] = true;
            queue[tail++] = to;
          }
        }
      }
    }
    boolean[] dead = new boolean[n];
    for (int i = 0; i < n; i++) {
      dead[i] = !level.isWall(i) && !live[i];
    }
    return dead;
  }

  private static final class Search {
    private static final byte FROZEN_MARK = 8;

    private final Level level;
    private final int maxLength;
    private final int maxStates;
    private final int boxCount;
    private final int[] delta = new int[4];
    private final boolean[] dead;
    private final byte[] cells;

    private long[] states = new long[1024];
    private int[] parent = new int[1024];
    private byte[] moveOf = new byte[1024];
    private int count;

    Search(Level level, int maxLength, int maxStates) {
      this.level = level;
      this.maxLength = maxLength;
      this.maxStates = maxStates;
      this.boxCount = level.boxCount();
      for (Direction d : Direction.values()) {
        delta[d.id()] = level.delta(d);
      }
      this.dead = deadSquares(level);
      this.cells = level.fixedCells();
    }

    Optional<Solution> run() {
      int[] boxes = level.boxes();
      if (onTarget(boxes) == boxCount) {
        return Optional.of(new Solution(List.of()));
      }
      for (int b : boxes) {
        if (dead[b]) {
          return Optional.empty();
        }
      }
      StateSet seen = new StateSet(1 << 10);
      long startKey = encode(level.player(), boxes);
      seen.add(startKey);
      add(startKey, -1, (byte) -1);
      int head = 0;
      int layerEnd = count;
      int depth = 0;
      int[] scratch = new int[boxCount];
      while (head < count) {
        if (head == layerEnd) {
          depth++;
          layerEnd = count;
        }
        if (depth >= maxLength) {
          return Optional.empty();
        }
        int index = head++;
        long key = states[index];
        int player = (int) (key & 0xFF);
        decodeBoxes(key, scratch);
        for (int b : scratch) {
          cells[b] |= Level.BOX;
        }
        try {
          for (int a = 0; a < 4; a++) {
            int d = delta[a];
            int next = player + d;
            byte c = cells[next];
            if ((c & Level.WALL) != 0) {
              continue;
            }
            long child;
            if ((c & Level.BOX) != 0) {
              int beyond = next + d;
              if ((cells[beyond] & (Level.WALL | Level.BOX)) != 0 || dead[beyond]) {
                continue;
              }
              int[] moved = scratch.clone();
              for (int k = 0; k < moved.length; k++) {
                if (moved[k] == next) {
                  moved[k] = beyond;
                }
              }
              cells[next] &= ~Level.BOX;
              cells[beyond] |= Level.BOX;
              boolean frozen = !level.isTarget(beyond) && frozen(beyond);
              cells[beyond] &= ~Level.BOX;
              cells[next] |= Level.BOX;
              if (frozen) {
                continue;
              }
              child = encode(next, moved);
              if (!seen.add(child)) {
                continue;
              }
              add(child, index, (byte) a);
              if (onTarget(moved) == boxCount) {
                return Optional.of(new Solution(planTo(count - 1)));
              }
            } else {
              child = (key & ~0xFFL) | next;
              if (!seen.add(child)) {
                continue;
              }
              add(child, index, (byte) a);
            }
            if (count >= maxStates) {
              return Optional.empty();
            }
          }
        } finally {
          for (int b : scratch) {
            cells[b] &= ~Level.BOX;
          }
        }
      }
      return Optional.empty();
    }

    /** Whether the box at {@code box} can move along neither axis (the freeze-deadlock test). */
    private boolean frozen(int box) {
      cells[box] |= FROZEN_MARK;
      boolean result = blocked(box, 1) && blocked(box, delta[Direction.DOWN.id()]);
      cells[box] &= ~FROZEN_MARK;
      return result;
    }

    private boolean blocked(int box, int d) {
      int a = box - d;
      int b = box + d;
      if ((cells[a] & (Level.WALL | FROZEN_MARK)) != 0 || (cells[b] & (Level.WALL | FROZEN_MARK)) != 0) {
        return true;
      }
      if (dead[a] && dead[b]) {
        return true;
      }
      // A neighbouring box blocks this axis if it is itself frozen, with this box taken as a wall.
      return ((cells[a] & Level.BOX) != 0 && frozen(a)) || ((cells[b] & Level.BOX) != 0 && frozen(b));
    }

    private int onTarget(int[] boxes) {
      int n = 0;
      for (int b : boxes) {
        if (level.isTarget(b)) {
          n++;
        }
      }
      return n;
    }

    private void add(long key, int from, byte move) {
      if (count == states.length) {
        int size = states.length * 2;
        states = Arrays.copyOf(states, size);
        parent = Arrays.copyOf(parent, size);
        moveOf = Arrays.copyOf(moveOf, size);
      }
      states[count] = key;
      parent[count] = from;
      moveOf[count] = move;
      count++;
    }

    private List<Direction> planTo(int index) {
      List<Direction> plan = new ArrayList<>();
      for (int i = index; parent[i] >= 0; i = parent[i]) {
        plan.add(Direction.of(moveOf[i]));
      }
      Collections.reverse(plan);
      return plan;
    }

    private static long encode(int player, int[] boxes) {
      int[] sorted = boxes.clone();
      Arrays.sort(sorted);
      long key = player;
      for (int k = 0; k < sorted.length; k++) {
        key |= ((long) sorted[k]) << (8 * (k + 1));
      }
      return key;
    }

    private void decodeBoxes(long key, int[] out) {
      for (int k = 0; k < out.length; k++) {
        out[k] = (int) ((key >>> (8 * (k + 1))) & 0xFF);
      }
    }
  }
}
