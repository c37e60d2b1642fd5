package io.skillsd.environments.miniappworld;

import java.util.Map;
import java.util.Set;

/**
 * How a MiniAppWorld instance is configured.
 *
 * @param seed the world seed: people, app data and every task's parameters follow from it
 * @param maxTurns the turn cap of an episode (one tool call per turn)
 * @param observationMaxChars observations longer than this are cut, with a note saying how much was cut
 * @param formatPenalty the reward of a malformed turn, at most 0
 */
public record MiniAppWorldSettings(long seed, int maxTurns, int observationMaxChars, double formatPenalty) {

  public static final long DEFAULT_SEED = 2024;
  public static final MiniAppWorldSettings DEFAULTS = new MiniAppWorldSettings(DEFAULT_SEED, 40, 3000, -0.1);
  public static final Set<String> KEYS = Set.of("seed", "max-turns", "observation-max-chars", "format-penalty");

  public MiniAppWorldSettings {
    if (maxTurns < 1 || maxTurns > 1000) {
      throw new IllegalArgumentException("max-turns must be from 1 to 1000, was " + maxTurns);
    }
    if (observationMaxChars < 200 || observationMaxChars > 1_000_000) {
      throw new IllegalArgumentException("observation-max-chars must be from 200 to 1000000, was " + observationMaxChars);
    }
    if (!(formatPenalty <= 0 && formatPenalty >= -10)) {
      throw new IllegalArgumentException("format-penalty must be from -10 to 0, was " + formatPenalty);
    }
  }

  /** Settings from string options; an unknown key or a bad value names the key, the value and what is allowed. */
  public static MiniAppWorldSettings fromOptions(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown miniappworld option '" + key + "' (allowed: "
            + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    long seed = MiniAppWorldSettings.<Long>parse(options, "seed", "an integer (64-bit)", DEFAULTS.seed(),
        Long::parseLong, v -> true);
    long turns = MiniAppWorldSettings.<Long>parse(options, "max-turns", "an integer from 1 to 1000",
        (long) DEFAULTS.maxTurns(), Long::parseLong, v -> v >= 1 && v <= 1000);
    long chars = MiniAppWorldSettings.<Long>parse(options, "observation-max-chars", "an integer from 200 to 1000000",
        (long) DEFAULTS.observationMaxChars(), Long::parseLong, v -> v >= 200 && v <= 1_000_000);
    double penalty = MiniAppWorldSettings.<Double>parse(options, "format-penalty", "a number from -10 to 0",
        DEFAULTS.formatPenalty(), Double::parseDouble, v -> v <= 0 && v >= -10);
    return new MiniAppWorldSettings(seed, (int) turns, (int) chars, penalty);
  }

  private static <T extends Number> T parse(Map<String, String> options, String key, String allowed, T fallback,
      java.util.function.Function<String, T> parser, java.util.function.Predicate<T> valid) {
    String text = options.get(key);
    if (text == null) {
      return fallback;
    }
    T value;
    try {
      value = parser.apply(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("miniappworld option '" + key + "' has value '" + text + "'; allowed: " + allowed, e);
    }
    if (!valid.test(value)) {
      throw new IllegalArgumentException("miniappworld option '" + key + "' has value '" + text + "'; allowed: " + allowed);
    }
    return value;
  }
}
