package io.skillsd.environments.sokoban;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One Sokoban level: the fixed room (walls, floor, targets) and the start positions of the boxes and the player.
 * Immutable. Cells are addressed by a row-major index {@code row * cols + col}; the outer border is wall, so a
 * neighbour of an inner cell is always inside the grid.
 *
 * <p>Text form (RAGEN's legend), rows joined by {@code \n}: {@code #} wall, {@code _} floor, {@code O} target,
 * {@code X} box, {@code √} box on target, {@code P} player, {@code S} player on target.
 */
public final class Level {

  static final byte WALL = 1;
  static final byte TARGET = 2;
  static final byte BOX = 4;

  static final char C_WALL = '#';
  static final char C_FLOOR = '_';
  static final char C_TARGET = 'O';
  static final char C_BOX = 'X';
  static final char C_BOX_ON_TARGET = '\u221A';
  static final char C_PLAYER = 'P';
  static final char C_PLAYER_ON_TARGET = 'S';

  /** The legend shown to the model. */
  public static final String LEGEND =
      "#: wall, _: empty, O: target, \u221A: box on target, X: box, P: player, S: player on target";

  private final int rows;
  private final int cols;
  private final byte[] fixed;
  private final int[] boxes;
  private final int player;

  Level(int rows, int cols, byte[] fixed, int[] boxes, int player) {
    if (rows < 3 || cols < 3 || fixed.length != rows * cols) {
      throw new IllegalArgumentException("bad level shape " + rows + "x" + cols);
    }
    this.rows = rows;
    this.cols = cols;
    this.fixed = fixed.clone();
    this.boxes = boxes.clone();
    Arrays.sort(this.boxes);
    this.player = player;
    validate();
  }

  private void validate() {
    for (int c = 0; c < cols; c++) {
      if (!isWall(c) || !isWall((rows - 1) * cols + c)) {
        throw new IllegalArgumentException("the border of a level must be wall:\n" + render());
      }
    }
    for (int r = 0; r < rows; r++) {
      if (!isWall(r * cols) || !isWall(r * cols + cols - 1)) {
        throw new IllegalArgumentException("the border of a level must be wall:\n" + render());
      }
    }
    int targets = 0;
    for (byte b : fixed) {
      if ((b & TARGET) != 0) {
        targets++;
      }
    }
    if (boxes.length == 0 || boxes.length != targets) {
      throw new IllegalArgumentException(
          "a level needs as many boxes as targets, at least one; has " + boxes.length + " boxes and " + targets
              + " targets:\n" + render());
    }
    if (isWall(player)) {
      throw new IllegalArgumentException("the player stands in a wall");
    }
    for (int i = 0; i < boxes.length; i++) {
      if (isWall(boxes[i]) || boxes[i] == player || (i > 0 && boxes[i] == boxes[i - 1])) {
        throw new IllegalArgumentException("boxes must stand on distinct free cells");
      }
    }
  }

  /**
   * Reads a level from text in the legend above. Lines that are not made of legend symbols (for example
   * {@code You have 10 actions left.} in an observation) are skipped, so an observation parses as well.
   *
   * @throws IllegalArgumentException if no grid, a ragged grid, no or several players, or unequal box and
   *     target counts
   */
  public static Level parse(String text) {
    List<String> grid = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String l = line.strip();
      if (!l.isEmpty() && l.chars().allMatch(Level::isLegendSymbol)) {
        grid.add(l);
      } else if (!grid.isEmpty()) {
        break;
      }
    }
    if (grid.isEmpty()) {
      throw new IllegalArgumentException("no Sokoban grid in the text");
    }
    int rows = grid.size();
    int cols = grid.get(0).length();
    byte[] fixed = new byte[rows * cols];
    List<Integer> boxes = new ArrayList<>();
    int player = -1;
    for (int r = 0; r < rows; r++) {
      String line = grid.get(r);
      if (line.length() != cols) {
        throw new IllegalArgumentException("grid rows have different lengths: " + cols + " and " + line.length());
      }
      for (int c = 0; c < cols; c++) {
        int i = r * cols + c;
        char ch = line.charAt(c);
        if (ch == C_WALL) {
          fixed[i] = WALL;
        } else if (ch == C_TARGET || ch == C_BOX_ON_TARGET || ch == C_PLAYER_ON_TARGET) {
          fixed[i] = TARGET;
        }
        if (ch == C_BOX || ch == C_BOX_ON_TARGET) {
          boxes.add(i);
        }
        if (ch == C_PLAYER || ch == C_PLAYER_ON_TARGET) {
          if (player >= 0) {
            throw new IllegalArgumentException("the grid has more than one player");
          }
          player = i;
        }
      }
    }
    if (player < 0) {
      throw new IllegalArgumentException("the grid has no player");
    }
    return new Level(rows, cols, fixed, boxes.stream().mapToInt(Integer::intValue).toArray(), player);
  }

  static boolean isLegendSymbol(int ch) {
    return ch == C_WALL || ch == C_FLOOR || ch == C_TARGET || ch == C_BOX || ch == C_BOX_ON_TARGET
        || ch == C_PLAYER || ch == C_PLAYER_ON_TARGET;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int cell(int row, int col) {
    return row * cols + col;
  }

  public boolean isWall(int cell) {
    return (fixed[cell] & WALL) != 0;
  }

  public boolean isTarget(int cell) {
    return (fixed[cell] & TARGET) != 0;
  }

  /** The player's start cell. */
  public int player() {
    return player;
  }

  /** The boxes' start cells, ascending. */
  public int[] boxes() {
    return boxes.clone();
  }

  public int boxCount() {
    return boxes.length;
  }

  /** The offset of {@code d} in cell indices. */
  public int delta(Direction d) {
    return d.dRow() * cols + d.dCol();
  }

  /** {@code "row,col"} of a cell, the form info maps and analyses use. */
  public String position(int cell) {
    return (cell / cols) + "," + (cell % cols);
  }

  /**
   * Where the boxes and targets lie relative to the player at the start, walls left out: e.g. {@code boxes
   * +1,0 targets +3,0} for a box just below the player and its target two cells below the box. Levels with
   * the same layout are often solved by the same moves: on the {@code ragen} preset, 85% of the held-out
   * levels that share a layout with a training level are solved by that training level's optimal plan.
   */
  public String relativeLayout() {
    StringBuilder key = new StringBuilder("boxes");
    appendOffsets(key, boxes);
    key.append(" targets");
    appendOffsets(key, java.util.stream.IntStream.range(0, fixed.length).filter(this::isTarget).toArray());
    return key.toString();
  }

  private void appendOffsets(StringBuilder key, int[] cells) {
    int pr = player / cols;
    int pc = player % cols;
    for (int cell : cells) { // ascending cells give offsets in row-major order
      key.append(' ').append(signed(cell / cols - pr)).append(',').append(signed(cell % cols - pc));
    }
  }

  private static String signed(int v) {
    return v > 0 ? "+" + v : Integer.toString(v);
  }

  byte[] fixedCells() {
    return fixed.clone();
  }

  /** The same room with the movable pieces elsewhere. */
  Level with(int[] newBoxes, int newPlayer) {
    return new Level(rows, cols, fixed, newBoxes, newPlayer);
  }

  /** The start state as text. */
  public String render() {
    char[] out = new char[rows * (cols + 1) - 1];
    int[] sorted = boxes;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int i = r * cols + c;
        out[r * (cols + 1) + c] = symbol(fixed[i], Arrays.binarySearch(sorted, i) >= 0, i == player);
      }
      if (r < rows - 1) {
        out[r * (cols + 1) + cols] = '\n';
      }
    }
    return new String(out);
  }

  static char symbol(byte fixedCell, boolean box, boolean player) {
    if ((fixedCell & WALL) != 0) {
      return C_WALL;
    }
    boolean target = (fixedCell & TARGET) != 0;
    if (box) {
      return target ? C_BOX_ON_TARGET : C_BOX;
    }
    if (player) {
      return target ? C_PLAYER_ON_TARGET : C_PLAYER;
    }
    return target ? C_TARGET : C_FLOOR;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Level && render().equals(((Level) o).render());
  }

  @Override
  public int hashCode() {
    return render().hashCode();
  }

  @Override
  public String toString() {
    return render();
  }
}
