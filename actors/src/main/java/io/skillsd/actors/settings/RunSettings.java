package io.skillsd.actors.settings;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a run is recorded ({@code skillsd.run}).
 *
 * @param dir the parent of all run directories ({@code runs})
 * @param id the run id; empty means "make one from the time and the environment"
 * @param seed the master seed every other seed of the run derives from
 */
public record RunSettings(Path dir, Optional<String> id, long seed) {
  public RunSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(id, "id");
  }

  static RunSettings read(SettingsReader r) {
    String id = r.string("id").trim();
    if (!id.isEmpty() && !id.matches("[A-Za-z0-9._-]+")) {
      throw new SettingsException(r.key("id"), "\"" + id + "\"",
          "must be empty (automatic) or use only letters, digits, '.', '_' and '-'");
    }
    return new RunSettings(Path.of(r.nonBlank("dir")), id.isEmpty() ? Optional.empty() : Optional.of(id),
        r.longValue("seed"));
  }
}
