package io.skillsd.environments.sokoban;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a Sokoban environment is configured: the level generator, the step cap, the agent protocol and the task
 * set. Two presets: {@code ragen} (RAGEN's SimpleSokoban) and {@code skill-sd} (the Skill-SD setting).
 *
 * @param preset the preset these settings started from (names the tasks)
 * @param rows room height, walls included
 * @param cols room width, walls included
 * @param boxes boxes (and targets) per level
 * @param maxSteps the environment's step cap per episode (gym-sokoban's {@code max_steps}); levels are proven
 *     solvable within it and within {@code maxActions}
 * @param maxTurns turns per episode
 * @param maxActions actions per episode over all turns
 * @param maxActionsPerTurn actions per answer; more is a malformed turn
 * @param searchDepth the depth of the reverse-play search in generation
 * @param oneActionPerTurn whether the protocol asks for exactly one action per answer
 * @param formatPenalty the reward added to a malformed turn (≤ 0)
 * @param trainSeed the first seed tried for training levels
 * @param trainSize training levels
 * @param testSeed the first seed tried for held-out levels
 * @param testSize held-out levels
 * @param curriculum whether training levels are ordered by optimal solution length (else by seed)
 */
public record SokobanSettings(
    String preset,
    int rows,
    int cols,
    int boxes,
    int maxSteps,
    int maxTurns,
    int maxActions,
    int maxActionsPerTurn,
    int searchDepth,
    boolean oneActionPerTurn,
    double formatPenalty,
    long trainSeed,
    int trainSize,
    long testSeed,
    int testSize,
    boolean curriculum) {

  public static final String RAGEN = "ragen";
  public static final String SKILL_SD = "skill-sd";

  /** The option keys {@link #fromOptions(Map)} understands. */
  public static final Set<String> OPTION_KEYS = Set.of(
      "preset", "dim", "boxes", "max-steps", "max-turns", "max-actions", "max-actions-per-turn", "search-depth",
      "one-action-per-turn", "format-penalty", "train-seed", "train-size", "test-seed", "test-size", "curriculum");

  public SokobanSettings {
    Objects.requireNonNull(preset, "preset");
    check(rows >= 5 && rows <= 16, "rows", rows, "5 to 16");
    check(cols >= 5 && cols <= 16, "cols", cols, "5 to 16");
    check(boxes >= 1 && boxes <= SokobanSolver.MAX_BOXES, "boxes", boxes, "1 to " + SokobanSolver.MAX_BOXES);
    check(maxSteps >= 1, "max-steps", maxSteps, "at least 1");
    check(maxTurns >= 1, "max-turns", maxTurns, "at least 1");
    check(maxActions >= 1, "max-actions", maxActions, "at least 1");
    check(maxActionsPerTurn >= 1, "max-actions-per-turn", maxActionsPerTurn, "at least 1");
    check(!oneActionPerTurn || maxActionsPerTurn == 1, "max-actions-per-turn", maxActionsPerTurn,
        "1 when one-action-per-turn is true");
    check(searchDepth >= 2, "search-depth", searchDepth, "at least 2");
    check(Double.isFinite(formatPenalty) && formatPenalty <= 0, "format-penalty", formatPenalty,
        "a number <= 0");
    check(trainSize >= 0, "train-size", trainSize, "at least 0");
    check(testSize >= 0, "test-size", testSize, "at least 0");
  }

  private static void check(boolean ok, String key, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(
          "sokoban option '" + key + "' = '" + value + "' is not allowed (allowed: " + allowed + ")");
    }
  }

  /**
   * RAGEN's SimpleSokoban: 6×6, 1 box, search depth 300, step cap 100; 5 turns, up to 5 actions per turn, 10
   * per episode; training seeds from 10000, held-out seeds from 123 (256 levels, like RAGEN's validation).
   */
  public static SokobanSettings ragen() {
    return new SokobanSettings(RAGEN, 6, 6, 1, 100, 5, 10, 5, 300, false, -0.1, 10_000, 1024, 123, 256, false);
  }

  /**
   * The Skill-SD setting: 6×6, 2 boxes, 40 steps; 96 training levels in curriculum order (by optimal
   * solution length) and 64 held-out levels. The turn protocol is RAGEN's, with the budget widened to the 40
   * steps: up to 5 actions per turn, 10 turns, 40 actions.
   */
  public static SokobanSettings skillSd() {
    return new SokobanSettings(SKILL_SD, 6, 6, 2, 40, 10, 40, 5, 300, false, -0.1, 100_000, 96, 200_000, 64, true);
  }

  /** The named preset. */
  public static SokobanSettings preset(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case RAGEN:
        return ragen();
      case SKILL_SD:
        return skillSd();
      default:
        throw new IllegalArgumentException(
            "sokoban option 'preset' = '" + name + "' is not allowed (allowed: ragen, skill-sd)");
    }
  }

  /**
   * Settings from string options: {@code preset} (default {@code ragen}) and overrides: {@code dim}
   * ({@code 6} or {@code 6x8}, rows × columns), {@code boxes}, {@code max-steps}, {@code max-turns},
   * {@code max-actions}, {@code max-actions-per-turn}, {@code search-depth}, {@code one-action-per-turn}
   * ({@code true}/{@code false}; true also sets {@code max-actions-per-turn} to 1), {@code format-penalty},
   * {@code train-seed}, {@code train-size}, {@code test-seed}, {@code test-size}, {@code curriculum}.
   *
   * @throws IllegalArgumentException naming the key, the value and what is allowed
   */
  public static SokobanSettings fromOptions(Map<String, String> options) {
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (!OPTION_KEYS.contains(e.getKey())) {
        throw new IllegalArgumentException("unknown sokoban option '" + e.getKey() + "' = '" + e.getValue()
            + "' (allowed keys: " + String.join(", ", new TreeSet<>(OPTION_KEYS)) + ")");
      }
    }
    Map<String, String> o = new LinkedHashMap<>(options);
    SokobanSettings s = preset(o.getOrDefault("preset", RAGEN));
    int rows = s.rows;
    int cols = s.cols;
    if (o.containsKey("dim")) {
      String v = o.get("dim").trim().toLowerCase(Locale.ROOT);
      String[] parts = v.split("x", -1);
      if (parts.length > 2) {
        throw new IllegalArgumentException(
            "sokoban option 'dim' = '" + o.get("dim") + "' is not allowed (allowed: N or RxC, 5 to 16)");
      }
      rows = intOption("dim", parts[0], o.get("dim"), 5, 16);
      cols = parts.length == 2 ? intOption("dim", parts[1], o.get("dim"), 5, 16) : rows;
    }
    boolean oneAction = boolOption(o, "one-action-per-turn", s.oneActionPerTurn);
    int perTurnDefault = oneAction ? 1 : s.maxActionsPerTurn;
    return new SokobanSettings(
        s.preset,
        rows,
        cols,
        intOption(o, "boxes", s.boxes, 1, SokobanSolver.MAX_BOXES),
        intOption(o, "max-steps", s.maxSteps, 1, 100_000),
        intOption(o, "max-turns", s.maxTurns, 1, 100_000),
        intOption(o, "max-actions", s.maxActions, 1, 100_000),
        intOption(o, "max-actions-per-turn", perTurnDefault, 1, 1000),
        intOption(o, "search-depth", s.searchDepth, 2, 10_000),
        oneAction,
        doubleOption(o, "format-penalty", s.formatPenalty),
        longOption(o, "train-seed", s.trainSeed),
        intOption(o, "train-size", s.trainSize, 0, 100_000),
        longOption(o, "test-seed", s.testSeed),
        intOption(o, "test-size", s.testSize, 0, 100_000),
        boolOption(o, "curriculum", s.curriculum));
  }

  private static int intOption(Map<String, String> o, String key, int fallback, int min, int max) {
    return o.containsKey(key) ? intOption(key, o.get(key), o.get(key), min, max) : fallback;
  }

  private static int intOption(String key, String text, String value, int min, int max) {
    try {
      int v = Integer.parseInt(text.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("sokoban option '" + key + "' = '" + value
        + "' is not allowed (allowed: an integer from " + min + " to " + max + ")");
  }

  private static long longOption(Map<String, String> o, String key, long fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    try {
      return Long.parseLong(o.get(key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("sokoban option '" + key + "' = '" + o.get(key)
          + "' is not allowed (allowed: an integer seed)", e);
    }
  }

  private static double doubleOption(Map<String, String> o, String key, double fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    try {
      double v = Double.parseDouble(o.get(key).trim());
      if (Double.isFinite(v) && v <= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("sokoban option '" + key + "' = '" + o.get(key)
        + "' is not allowed (allowed: a number <= 0, e.g. -0.1)");
  }

  private static boolean boolOption(Map<String, String> o, String key, boolean fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    String v = o.get(key).trim().toLowerCase(Locale.ROOT);
    if (List.of("true", "false").contains(v)) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(
        "sokoban option '" + key + "' = '" + o.get(key) + "' is not allowed (allowed: true, false)");
  }
}
