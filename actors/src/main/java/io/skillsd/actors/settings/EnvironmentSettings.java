package io.skillsd.actors.settings;

import java.util.Map;
import java.util.Objects;

/**
 * Which environment a run plays ({@code skillsd.environment}).
 *
 * @param name the registry name ({@code sokoban}, {@code miniappworld}, or a plugged-in one)
 * @param options the environment's own options, passed to its provider as text
 */
public record EnvironmentSettings(String name, Map<String, String> options) {
  public EnvironmentSettings {
    Objects.requireNonNull(name, "name");
    options = Map.copyOf(options);
  }

  static EnvironmentSettings read(SettingsReader r) {
    return new EnvironmentSettings(r.nonBlank("name"), r.stringMap("options"));
  }
}
