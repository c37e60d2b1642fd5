package io.skillsd.actors.settings;

import java.util.Map;
import java.util.Objects;

/**
 * Which environment a run plays ({@code skillsd.environment}).
 *
 * @param name the registry name ({@code sokoban}, {@code miniappworld}, or a plugged-in one)
 * @param options the environment's own options, passed to its provider as text: the section
 *     {@code skillsd.environment.options.<name>} (each environment keeps its own, so switching environments
 *     never hands one environment another's options)
 */
public record EnvironmentSettings(String name, Map<String, String> options) {
  public EnvironmentSettings {
    Objects.requireNonNull(name, "name");
    options = Map.copyOf(options);
  }

  static EnvironmentSettings read(SettingsReader r) {
    String name = r.nonBlank("name");
    SettingsReader options = r.section("options");
    return new EnvironmentSettings(name, options.has(quoted(name)) ? options.stringMap(quoted(name)) : Map.of());
  }

  private static String quoted(String name) {
    return com.typesafe.config.ConfigUtil.quoteString(name);
  }
}
