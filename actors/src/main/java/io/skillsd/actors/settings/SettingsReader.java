package io.skillsd.actors.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads typed settings from a {@link Config} subtree and turns every mistake into a one-line
 * {@link SettingsException} naming the full key, the value given and what is allowed.
 */
public final class SettingsReader {

  private final Config root;
  private final Config config;
  private final String prefix;

  /** Reads the subtree at {@code path} of {@code root}; messages name keys as {@code path.key}. */
  public SettingsReader(Config root, String path) {
    this.root = root;
    this.prefix = path;
    try {
      this.config = root.getConfig(path);
    } catch (ConfigException.Missing e) {
      throw new SettingsException(path, "(missing)", "this section is required");
    } catch (ConfigException.WrongType e) {
      throw new SettingsException(path, describe(root.getValue(path)), "must be an object (a section of keys)");
    }
  }

  /** A reader for a nested section, e.g. {@code section("options")}. */
  public SettingsReader section(String key) {
    return new SettingsReader(root, prefix + "." + key);
  }

  public Config config() {
    return config;
  }

  public String key(String key) {
    return prefix + "." + key;
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  public String string(String key) {
    return read(key, ConfigValueType.STRING, "must be a string", () -> config.getString(key));
  }

  /** A non-blank string. */
  public String nonBlank(String key) {
    String value = string(key);
    if (value.isBlank()) {
      throw new SettingsException(key(key), "\"" + value + "\"", "must not be blank");
    }
    return value;
  }

  public boolean bool(String key) {
    return read(key, ConfigValueType.BOOLEAN, "must be a boolean (true or false)", () -> config.getBoolean(key));
  }

  public int intIn(String key, int min, int max) {
    int value = read(key, ConfigValueType.NUMBER, "must be an integer in [" + min + ", " + max + "]",
        () -> config.getInt(key));
    if (value < min || value > max) {
      throw new SettingsException(key(key), Integer.toString(value), "must be an integer in [" + min + ", " + max + "]");
    }
    return value;
  }

  public long longValue(String key) {
    return read(key, ConfigValueType.NUMBER, "must be an integer", () -> config.getLong(key));
  }

  public double doubleIn(String key, double min, double max) {
    String allowed = "must be a number in [" + min + ", " + max + "]";
    double value = read(key, ConfigValueType.NUMBER, allowed, () -> config.getDouble(key));
    if (!(value >= min && value <= max)) {
      throw new SettingsException(key(key), Double.toString(value), allowed);
    }
    return value;
  }

  public Duration duration(String key) {
    return read(key, null, "must be a duration such as 30s, 500ms or 2m", () -> config.getDuration(key));
  }

  /** A size in bytes, written as a number of bytes or with a unit (512m, 4g). */
  public long bytes(String key) {
    String allowed = "must be a size such as 512m or 4g (0 for none)";
    long value = read(key, null, allowed, () -> config.getBytes(key));
    if (value < 0) {
      throw new SettingsException(key(key), Long.toString(value), allowed);
    }
    return value;
  }

  /** One of {@code type}'s constants, written in lower case with dashes (e.g. {@code skill-sd}). */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String text = string(key);
    String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(normalized)) {
        return constant;
      }
    }
    throw new SettingsException(key(key), "\"" + text + "\"", "must be one of " + enumLabels(type));
  }

  /** A flat section of string-valued keys (numbers and booleans are rendered as text). */
  public Map<String, String> stringMap(String key) {
    Config section = read(key, ConfigValueType.OBJECT, "must be an object of key = value pairs", () -> config.getConfig(key));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : section.entrySet()) {
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
        throw new SettingsException(key(key) + "." + e.getKey(), describe(v), "must be a plain value");
      }
      out.put(e.getKey(), String.valueOf(v.unwrapped()));
    }
    return Map.copyOf(out);
  }

  public List<String> stringList(String key) {
    return read(key, ConfigValueType.LIST, "must be a list of strings", () -> config.getStringList(key));
  }

  /** Allowed labels of an enum, as users write them. */
  public static <E extends Enum<E>> String enumLabels(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** The label users write for an enum constant. */
  public static String label(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private interface Getter<T> {
    T get();
  }

  private <T> T read(String key, ConfigValueType expected, String allowed, Getter<T> getter) {
    if (!config.hasPathOrNull(key)) {
      throw new SettingsException(key(key), "(missing)", allowed + "; add it or remove the override that unset it");
    }
    if (config.getIsNull(key)) {
      throw new SettingsException(key(key), "null", allowed);
    }
    ConfigValue value = config.getValue(key);
    if (expected != null && value.valueType() != expected
        && !(expected == ConfigValueType.NUMBER && value.valueType() == ConfigValueType.STRING)
        && !(expected == ConfigValueType.BOOLEAN && value.valueType() == ConfigValueType.STRING)) {
      throw new SettingsException(key(key), describe(value), allowed);
    }
    try {
      return getter.get();
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new SettingsException(key(key), describe(value), allowed);
    }
  }

  private static String describe(ConfigValue value) {
    String rendered = value.render(com.typesafe.config.ConfigRenderOptions.concise());
    if (rendered.length() > 80) {
      rendered = rendered.substring(0, 77) + "...";
    }
    return rendered + " (" + value.valueType().name().toLowerCase(Locale.ROOT) + ")";
  }
}
