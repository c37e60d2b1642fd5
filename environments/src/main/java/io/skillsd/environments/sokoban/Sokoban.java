package io.skillsd.environments.sokoban;

/**
 * The rules of Sokoban as gym-sokoban and RAGEN apply them, on one mutable board. Allocation-free on the
 * step path: {@link #move(int)} and {@link #step(int)} touch only primitive arrays, and text is built only
 * when {@link #render()} is called.
 *
 * <p>A move in direction d: if the adjacent cell holds a box and the cell beyond is floor or target, the box
 * is pushed and the player follows; otherwise, if the adjacent cell is floor or target, the player moves;
 * otherwise nothing happens. Every call counts one step. Reward per step: {@value #STEP_PENALTY}, plus
 * {@value #BOX_ON_TARGET_REWARD} when the number of boxes on targets rises, {@value #BOX_OFF_TARGET_PENALTY}
 * when it falls, and {@value #SOLVED_REWARD} when every box is on a target.
 */
public final class Sokoban {

  public static final double STEP_PENALTY = -0.1;
  public static final double BOX_ON_TARGET_REWARD = 1.0;
  public static final double BOX_OFF_TARGET_PENALTY = -1.0;
  public static final double SOLVED_REWARD = 10.0;

  /** Bit set in {@link #move(int)}'s result when the player moved (RAGEN's {@code action_is_effective}). */
  public static final int MOVED = 1;
  /** Bit set in {@link #move(int)}'s result when a box was pushed. */
  public static final int PUSHED = 2;

  private final Level level;
  private final byte[] start;
  private final byte[] cells;
  private final int[] delta;
  private final int boxCount;
  private int player;
  private int boxesOnTarget;
  private int steps;

  public Sokoban(Level level) {
    this.level = level;
    this.start = level.fixedCells();
    for (int b : level.boxes()) {
      start[b] |= Level.BOX;
    }
    this.cells = new byte[start.length];
    this.delta = new int[4];
    for (Direction d : Direction.values()) {
      delta[d.id()] = level.delta(d);
    }
    this.boxCount = level.boxCount();
    reset();
  }

  /** Back to the level's start state, zero steps. */
  public void reset() {
    System.arraycopy(start, 0, cells, 0, start.length);
    player = level.player();
    steps = 0;
    boxesOnTarget = 0;
    for (byte c : cells) {
      if ((c & (Level.BOX | Level.TARGET)) == (Level.BOX | Level.TARGET)) {
        boxesOnTarget++;
      }
    }
  }

  /**
   * Applies action {@code action} ({@link Direction#id()}: 0 Up, 1 Down, 2 Left, 3 Right) and counts a step.
   *
   * @return {@link #MOVED} and {@link #PUSHED} bits; 0 when nothing happened
   */
  public int move(int action) {
    steps++;
    int d = delta[action];
    int next = player + d;
    byte c = cells[next];
    if ((c & Level.BOX) != 0) {
      int beyond = next + d;
      byte b = cells[beyond];
      if ((b & (Level.WALL | Level.BOX)) != 0) {
        return 0;
      }
      cells[next] = (byte) (c & ~Level.BOX);
      cells[beyond] = (byte) (b | Level.BOX);
      boxesOnTarget += ((b & Level.TARGET) >> 1) - ((c & Level.TARGET) >> 1);
      player = next;
      return MOVED | PUSHED;
    }
    if ((c & Level.WALL) != 0) {
      return 0;
    }
    player = next;
    return MOVED;
  }

  /** {@link #move(int)} and its reward under the rules above. */
  public double step(int action) {
    int before = boxesOnTarget;
    move(action);
    return reward(before, boxesOnTarget, boxCount);
  }

  /** The reward of one step that took the boxes-on-target count from {@code before} to {@code after}. */
  public static double reward(int before, int after, int boxCount) {
    double r = STEP_PENALTY;
    if (after > before) {
      r += BOX_ON_TARGET_REWARD;
    } else if (after < before) {
      r += BOX_OFF_TARGET_PENALTY;
    }
    if (after == boxCount) {
      r += SOLVED_REWARD;
    }
    return r;
  }

  public boolean solved() {
    return boxesOnTarget == boxCount;
  }

  public int boxesOnTarget() {
    return boxesOnTarget;
  }

  public int boxCount() {
    return boxCount;
  }

  /** Steps taken since the last reset, effective or not. */
  public int steps() {
    return steps;
  }

  public int player() {
    return player;
  }

  public boolean hasBox(int cell) {
    return (cells[cell] & Level.BOX) != 0;
  }

  /** The cells holding boxes, ascending. */
  public int[] boxes() {
    int[] out = new int[boxCount];
    int k = 0;
    for (int i = 0; i < cells.length && k < boxCount; i++) {
      if ((cells[i] & Level.BOX) != 0) {
        out[k++] = i;
      }
    }
    return out;
  }

  public Level level() {
    return level;
  }

  /** The current state as a level (same room, boxes and player where they are now). */
  public Level snapshot() {
    return level.with(boxes(), player);
  }

  /** The current state in the legend of {@link Level}, rows joined by {@code \n}. */
  public String render() {
    int rows = level.rows();
    int cols = level.cols();
    char[] out = new char[rows * (cols + 1) - 1];
    int o = 0;
    for (int i = 0; i < cells.length; i++) {
      if (i > 0 && i % cols == 0) {
        out[o++] = '\n';
      }
      byte c = cells[i];
      out[o++] = Level.symbol((byte) (c & (Level.WALL | Level.TARGET)), (c & Level.BOX) != 0, i == player);
    }
    return new String(out);
  }
}
