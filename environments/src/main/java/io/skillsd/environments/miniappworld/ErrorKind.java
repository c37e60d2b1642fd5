package io.skillsd.environments.miniappworld;

import java.util.Locale;

/**
 * Why a tool call did not succeed. The first group are malformed calls: the model wrote something that is
 * not a valid call, which costs the format penalty and marks the turn invalid. The second group are valid
 * calls the world refused: the turn is valid but not effective, and costs nothing beyond the lost turn.
 */
public enum ErrorKind {
  INVALID_JSON(true),
  BAD_SHAPE(true),
  UNKNOWN_APP(true),
  UNKNOWN_API(true),
  MISSING_ARGUMENT(true),
  MISTYPED_ARGUMENT(true),
  UNKNOWN_ARGUMENT(true),
  AUTH_REQUIRED(false),
  NOT_FOUND(false),
  REJECTED(false);

  private final boolean malformed;

  ErrorKind(boolean malformed) {
    this.malformed = malformed;
  }

  /** Whether the call itself was malformed (format penalty) rather than refused by the world. */
  public boolean malformed() {
    return malformed;
  }

  /** The label used in step info, e.g. {@code missing_argument}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
