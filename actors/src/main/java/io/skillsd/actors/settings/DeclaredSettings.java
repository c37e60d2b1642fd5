package io.skillsd.actors.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses {@code skillsd} settings that nothing declares. Without this check a misspelt key
 * ({@code skillsd.train.iteratons = 2}) is read by no one, and the run goes on with the default the user
 * meant to change. Every key under {@code skillsd} must be declared by a {@code reference.conf} on the class
 * path, so a plug-in declares its own keys the same way the modules do. The one exception is
 * {@code skillsd.environment.options.<name>}: its keys go to that environment, which checks them itself.
 * Keys outside {@code skillsd} (Akka's, for instance) are left to their owners.
 */
final class DeclaredSettings {
  private static final String ROOT = "skillsd.";
  private static final String ENVIRONMENT_OPTIONS = "skillsd.environment.options.";
  /**
   * The installation directory, a JVM property the launcher sets ({@code -Dskillsd.home}), not a setting; being
   * a system property it lands in every resolved config, so run directories' stored configs hold it.
   */
  private static final String LAUNCHER_HOME = "skillsd.home";

  private DeclaredSettings() {}

  /**
   * Fails on the first key under {@code skillsd} in {@code given} that {@code reference} does not declare,
   * naming where it was set and, when one is close, the declared key that was probably meant.
   *
   * @param where where {@code given} came from, for the message (e.g. {@code -D}, or a file name)
   */
  static void check(Config given, Config reference, String where) {
    if (given.root().get("skillsd") instanceof ConfigObject section) {
      check(section, new ArrayList<>(List.of("skillsd")), reference, where);
    }
  }

  /** Walks {@code object} without resolving it (a file may use substitutions), checking every leaf's path. */
  private static void check(ConfigObject object, List<String> path, Config reference, String where) {
    Set<Map.Entry<String, ConfigValue>> entries;
    try {
      entries = object.entrySet();
    } catch (ConfigException.NotResolved e) {
      return; // an object merged with a substitution: its keys are known only once resolved; typed reads check it
    }
    for (Map.Entry<String, ConfigValue> e : entries) {
      path.add(e.getKey());
      String key = ConfigUtil.joinPath(path);
      if (key.startsWith(ENVIRONMENT_OPTIONS)) {
        // the environment's own options: it checks them
      } else if (e.getValue() instanceof ConfigObject inner && !inner.isEmpty()) {
        check(inner, path, reference, where);
      } else if (!reference.hasPathOrNull(key) && !key.equals(LAUNCHER_HOME)) {
        throw unknown(key, e.getValue(), reference, where);
      }
      path.remove(path.size() - 1);
    }
  }

  private static SettingsException unknown(String key, ConfigValue value, Config reference, String where) {
    String origin = value.origin().lineNumber() > 0 && !where.equals("-D")
        ? " (" + where + ", line " + value.origin().lineNumber() + ")" : " (" + where + ")";
    String hint = closest(key, declaredKeys(reference)).map(k -> "; did you mean " + k + "?")
        .orElse("; the reference.conf files list every setting there is");
    return new SettingsException(key, value.render(ConfigRenderOptions.concise()), "no such setting" + origin + hint);
  }

  /** Every key the reference declares under {@code skillsd}, as full paths. */
  private static List<String> declaredKeys(Config reference) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      if (e.getKey().startsWith(ROOT)) {
        keys.add(e.getKey());
      }
    }
    keys.sort(null);
    return keys;
  }

  /**
   * The declared key nearest to {@code key} by edit distance, if near enough to be a slip: at most a fifth
   * of the key's length (and at least 2) apart, or the same last segment in another section
   * ({@code skillsd.train.seed} for {@code skillsd.run.seed}).
   */
  private static Optional<String> closest(String key, List<String> declared) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : declared) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best != null && bestDistance <= Math.max(2, key.length() / 5)) {
      return Optional.of(best);
    }
    String last = key.substring(key.lastIndexOf('.') + 1);
    List<String> sameName = declared.stream().filter(k -> k.endsWith("." + last)).toList();
    return sameName.size() == 1 ? Optional.of(sameName.get(0)) : Optional.empty();
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character each count 1. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
