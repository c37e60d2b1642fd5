package io.skillsd.environments.sokoban;

import java.util.Locale;
import java.util.Optional;

/**
 * The four Sokoban actions, in RAGEN's order (action ids 1 to 4 there): Up (−1, 0), Down (+1, 0),
 * Left (0, −1), Right (0, +1) as (row, column) offsets. Each one pushes a box when a box is adjacent and the
 * cell beyond it is free, else moves when the adjacent cell is free, else does nothing.
 */
public enum Direction {
  UP("Up", -1, 0),
  DOWN("Down", 1, 0),
  LEFT("Left", 0, -1),
  RIGHT("Right", 0, 1);

  private static final Direction[] VALUES = values();

  private final String label;
  private final int dRow;
  private final int dCol;

  Direction(String label, int dRow, int dCol) {
    this.label = label;
    this.dRow = dRow;
    this.dCol = dCol;
  }

  /** The word the model writes, e.g. {@code Up}. */
  public String label() {
    return label;
  }

  public int dRow() {
    return dRow;
  }

  public int dCol() {
    return dCol;
  }

  /** The action id used by {@link Sokoban#move(int)}: the ordinal, 0 to 3. */
  public int id() {
    return ordinal();
  }

  public Direction opposite() {
    switch (this) {
      case UP:
        return DOWN;
      case DOWN:
        return UP;
      case LEFT:
        return RIGHT;
      default:
        return LEFT;
    }
  }

  /** The direction with {@link #id()} {@code id}. */
  public static Direction of(int id) {
    return VALUES[id];
  }

  /** Parses one action word case-insensitively ({@code up}, {@code UP}, {@code Up}); blanks are trimmed. */
  public static Optional<Direction> parse(String word) {
    String w = word.trim().toLowerCase(Locale.ROOT);
    for (Direction d : VALUES) {
      if (d.label.toLowerCase(Locale.ROOT).equals(w)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
