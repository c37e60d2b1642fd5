package io.skillsd.environments;

import java.util.Locale;

/** The splits of a task set. Training tasks are trained on; test tasks are held out for evaluation. */
public enum Split {
  TRAIN,
  TEST;

  /** Parses {@code train} or {@code test}, case-insensitively. */
  public static Split parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown split '" + text + "' (allowed: train, test)", e);
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
