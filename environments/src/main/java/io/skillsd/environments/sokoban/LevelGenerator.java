package io.skillsd.environments.sokoban;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Generates levels by gym-sokoban's method, as RAGEN uses it, driven by {@link SplitMix64}.
 *
 * <ol>
 *   <li>Topology: a random walk of {@code ⌊1.7 (rows + cols)⌋} steps from a random inner cell; before each
 *       step the direction is redrawn with probability 0.35; after each step the walker is clamped to the
 *       inner cells and one of five fixed 3×3 masks is stamped around it. Stamped cells become floor; the
 *       border is wall.
 *   <li>Placement: the player on a random floor cell, then one target per box on a random remaining floor
 *       cell; every box starts on its target.
 *   <li>Reverse play: depth-first search over the four pull moves (Up, Down, Left, Right: the player steps
 *       that way onto a free cell and drags a box standing right behind it), depth at most
 *       {@code searchDepth}, at most 300,000 explored states. A state scores {@code boxSwaps × Σ Manhattan(box,
 *       its target)}, where {@code boxSwaps} counts how often the pulled box changed, and 0 unless no box and
 *       no player stands on a target. The best (first best in search order) state is the level.
 *   <li>Steps 1 to 3 are tried up to 4 times until the score is positive; otherwise generation fails.
 *   <li>Player nudge: with probability 0.8 if the displacement is 1, else 0.5, the player takes up to 3 random
 *       steps onto free cells, never revisiting one, stopping after each with probability 0.5.
 * </ol>
 *
 * <p>Random draws follow the order above; they are not bit-compatible with Python's generators (the levels
 * come from the same distribution, not the same sequence).
 */
final class LevelGenerator {

  static final double P_CHANGE_DIRECTION = 0.35;
  static final int TRIES = 4;
  static final int MAX_EXPLORED = 300_000;

  /** Walk directions in gym-sokoban's order, as (row, col). */
  private static final int[][] WALK = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};

  /** The five 3×3 masks stamped around the walker: bar, bar, and three corner shapes. */
  private static final int[][][] MASKS = {
    {{0, 0, 0}, {1, 1, 1}, {0, 0, 0}},
    {{0, 1, 0}, {0, 1, 0}, {0, 1, 0}},
    {{0, 0, 0}, {1, 1, 0}, {0, 1, 0}},
    {{0, 0, 0}, {1, 1, 0}, {1, 1, 0}},
    {{0, 0, 0}, {0, 1, 1}, {0, 1, 0}},
  };

  private final int rows;
  private final int cols;
  private final int boxCount;
  private final int searchDepth;
  private final int walkSteps;
  private final int[] delta;

  // Reverse-play search state, reused across tries.
  private byte[] cells;
  private int[] targets;
  private int[] boxes;
  private int player;
  private StateSet explored;
  private long bestScore;
  private int[] bestBoxes;
  private int bestPlayer;

  LevelGenerator(int rows, int cols, int boxCount, int searchDepth) {
    this.rows = rows;
    this.cols = cols;
    this.boxCount = boxCount;
    this.searchDepth = searchDepth;
    this.walkSteps = (int) (1.7 * (rows + cols));
    this.delta = new int[] {-cols, cols, -1, 1};
  }

  /** One level from {@code rng}'s next draws, or empty when all tries scored 0 or left too little floor. */
  Optional<Level> generate(SplitMix64 rng) {
    for (int t = 0; t < TRIES; t++) {
      byte[] room = topology(rng);
      if (!place(room, rng)) {
        continue;
      }
      reversePlay();
      if (bestScore > 0) {
        Level level = new Level(rows, cols, fixedOf(room), bestBoxes, bestPlayer);
        return Optional.of(nudge(level, displacement(bestBoxes), rng));
      }
    }
    return Optional.empty();
  }

  private byte[] topology(SplitMix64 rng) {
    int[] count = new int[rows * cols];
    int[] dir = WALK[rng.nextInt(WALK.length)];
    int r = rng.nextIntInclusive(1, rows - 1);
    int c = rng.nextIntInclusive(1, cols - 1);
    for (int s = 0; s < walkSteps; s++) {
      if (rng.nextDouble() < P_CHANGE_DIRECTION) {
        dir = WALK[rng.nextInt(WALK.length)];
      }
      r = Math.max(Math.min(r + dir[0], rows - 2), 1);
      c = Math.max(Math.min(c + dir[1], cols - 2), 1);
      int[][] mask = MASKS[rng.nextInt(MASKS.length)];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          count[(r - 1 + i) * cols + (c - 1 + j)] += mask[i][j];
        }
      }
    }
    byte[] room = new byte[rows * cols];
    for (int i = 0; i < room.length; i++) {
      int rr = i / cols;
      int cc = i % cols;
      boolean border = rr == 0 || cc == 0 || rr == rows - 1 || cc == cols - 1;
      room[i] = (border || count[i] == 0) ? Level.WALL : 0;
    }
    return room;
  }

  /** Puts the player and the targets (with their boxes on them) on floor cells; false if too little floor. */
  private boolean place(byte[] room, SplitMix64 rng) {
    List<Integer> floor = freeCells(room, -1);
    if (floor.size() <= boxCount + 1) {
      return false;
    }
    player = floor.get(rng.nextInt(floor.size()));
    targets = new int[boxCount];
    for (int b = 0; b < boxCount; b++) {
      List<Integer> free = freeCells(room, player);
      targets[b] = free.get(rng.nextInt(free.size()));
      room[targets[b]] |= Level.TARGET;
    }
    boxes = targets.clone();
    cells = room.clone();
    for (int b : boxes) {
      cells[b] |= Level.BOX;
    }
    return true;
  }

  private static List<Integer> freeCells(byte[] room, int player) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < room.length; i++) {
      if (room[i] == 0 && i != player) {
        out.add(i);
      }
    }
    return out;
  }

  private void reversePlay() {
    explored = explored == null ? new StateSet(1 << 12) : explored;
    explored.clear();
    bestScore = 0;
    bestBoxes = boxes.clone();
    bestPlayer = player;
    search(searchDepth, 0, -1);
  }

  private void search(int ttl, long swaps, int lastPulled) {
    ttl--;
    if (ttl <= 0 || explored.size() >= MAX_EXPLORED) {
      return;
    }
    if (!explored.add(key())) {
      return;
    }
    long score = emptyTargets() == boxCount ? swaps * displacement(boxes) : 0;
    if (score > bestScore) {
      bestScore = score;
      bestBoxes = boxes.clone();
      bestPlayer = player;
    }
    for (int a = 0; a < 4; a++) {
      int d = delta[a];
      int next = player + d;
      if ((cells[next] & (Level.WALL | Level.BOX)) != 0) {
        continue; // the pull cannot happen: same state, already explored
      }
      int old = player;
      int behind = old - d;
      int k = (cells[behind] & Level.BOX) != 0 ? boxAt(behind) : -1;
      player = next;
      if (k >= 0) {
        cells[behind] &= ~Level.BOX;
        cells[old] |= Level.BOX;
        boxes[k] = old;
        search(ttl, k != lastPulled ? swaps + 1 : swaps, k);
        boxes[k] = behind;
        cells[old] &= ~Level.BOX;
        cells[behind] |= Level.BOX;
      } else {
        search(ttl, swaps, lastPulled);
      }
      player = old;
    }
  }

  private int boxAt(int cell) {
    for (int k = 0; k < boxes.length; k++) {
      if (boxes[k] == cell) {
        return k;
      }
    }
    throw new IllegalStateException("no box at " + cell);
  }

  private int emptyTargets() {
    int n = 0;
    for (int t : targets) {
      if ((cells[t] & Level.BOX) == 0 && t != player) {
        n++;
      }
    }
    return n;
  }

  private long displacement(int[] at) {
    long sum = 0;
    for (int k = 0; k < at.length; k++) {
      sum += Math.abs(at[k] / cols - targets[k] / cols) + Math.abs(at[k] % cols - targets[k] % cols);
    }
    return sum;
  }

  private long key() {
    long key = player;
    int[] sorted = boxes.clone();
    java.util.Arrays.sort(sorted);
    for (int k = 0; k < sorted.length; k++) {
      key |= ((long) sorted[k]) << (8 * (k + 1));
    }
    return key;
  }

  private static byte[] fixedOf(byte[] room) {
    byte[] fixed = new byte[room.length];
    for (int i = 0; i < room.length; i++) {
      fixed[i] = (byte) (room[i] & (Level.WALL | Level.TARGET));
    }
    return fixed;
  }

  private Level nudge(Level level, long displacement, SplitMix64 rng) {
    double moveProbability = displacement == 1 ? 0.8 : 0.5;
    if (rng.nextDouble() > moveProbability) {
      return level;
    }
    int[] levelBoxes = level.boxes();
    int p = level.player();
    List<Integer> visited = new ArrayList<>();
    visited.add(p);
    for (int s = 0; s < 3; s++) {
      List<Integer> options = new ArrayList<>();
      for (int d : delta) {
        int n = p + d;
        if (!level.isWall(n) && java.util.Arrays.binarySearch(levelBoxes, n) < 0 && !visited.contains(n)) {
          options.add(n);
        }
      }
      if (options.isEmpty()) {
        break;
      }
      p = options.get(rng.nextInt(options.size()));
      visited.add(p);
      if (rng.nextDouble() > 0.5) {
        break;
      }
    }
    return level.with(levelBoxes, p);
  }
}
