package io.skillsd.actors.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import io.skillsd.policies.objectives.Algorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * All settings of a run, read once at start from HOCON ({@code reference.conf} of each module, then the
 * user's file, then {@code -D} overrides). Every key is documented in the {@code reference.conf} that
 * declares it. A bad value fails here, before anything starts, with a {@link SettingsException}.
 */
public record SkillsdSettings(Config config, RunSettings run, ComputeSettings compute, EnvironmentSettings environment) {

  public SkillsdSettings {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(compute, "compute");
    Objects.requireNonNull(environment, "environment");
  }

  /** Builds settings from a fully resolved config holding a {@code skillsd} section. */
  public static SkillsdSettings from(Config config) {
    SettingsReader root = new SettingsReader(config, "skillsd");
    return new SkillsdSettings(config,
        RunSettings.read(root.section("run")),
        ComputeSettings.read(root.section("compute")),
        EnvironmentSettings.read(root.section("environment")));
  }

  /**
   * Loads {@code file} (if given) over the defaults, with {@code overrides} (key → HOCON value text) on
   * top, and validates everything. A key under {@code skillsd} that no {@code reference.conf} declares is
   * refused, not ignored (see {@link DeclaredSettings}).
   */
  public static SkillsdSettings load(Path file, Map<String, String> overrides) {
    return from(loadConfig(file, overrides));
  }

  /** The merged and resolved config, before validation. */
  public static Config loadConfig(Path file, Map<String, String> overrides) {
    Config user = ConfigFactory.empty();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new SettingsException("--config", file.toString(), "no such file");
      }
      try {
        user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException.Parse e) {
        throw new SettingsException("--config", file.toString(), "is not valid HOCON: " + e.getMessage());
      }
    }
    Config reference = ConfigFactory.defaultReference();
    DeclaredSettings.check(user, reference, file == null ? "" : file.toString());
    Config overrideConfig = ConfigFactory.empty();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      Config one;
      try {
        one = ConfigFactory.parseString(e.getKey() + " = " + e.getValue());
      } catch (ConfigException.Parse ex) {
        one = ConfigFactory.parseString(e.getKey() + " = " + com.typesafe.config.ConfigUtil.quoteString(e.getValue()));
      }
      overrideConfig = one.withFallback(overrideConfig);
    }
    DeclaredSettings.check(overrideConfig, reference, "-D");
    return skillSdOnlyDefaults(overrideConfig
        .withFallback(user)
        .withFallback(reference)
        .resolve(ConfigResolveOptions.defaults()));
  }

  private static final String MAINTENANCE_WEIGHT = "skillsd.train.maintenance-weight";

  /**
   * Whether the skill-conditioned maintenance term belongs to {@code algorithm}: its replays are the episodes
   * the reward calls solved, replayed under the teacher's prompt, so it needs both a teacher and the reward —
   * Skill-SD. Vanilla OPD runs without it, as in the paper; GRPO and Skill-augmented GRPO have no teacher.
   */
  public static boolean maintenanceBelongsTo(Algorithm algorithm) {
    return algorithm.usesDistillation() && algorithm.usesReward();
  }

  /**
   * reference.conf's maintenance weight is the default of the algorithms the term belongs to
   * ({@link #maintenanceBelongsTo}): left there, it is 0 for the others; set by a file or an override, it stays
   * as given (and the algorithm's own checks apply). The resolved config, which the run directory keeps, holds
   * the value the run used.
   */
  static Config skillSdOnlyDefaults(Config config) {
    Algorithm algorithm;
    try {
      algorithm = new SettingsReader(config, "skillsd.train").enumValue("algorithm", Algorithm.class);
    } catch (SettingsException e) {
      return config; // validation names the key
    }
    if (maintenanceBelongsTo(algorithm) || !config.hasPath(MAINTENANCE_WEIGHT)
        || !"reference.conf".equals(config.getValue(MAINTENANCE_WEIGHT).origin().resource())) {
      return config;
    }
    return config.withValue(MAINTENANCE_WEIGHT, ConfigValueFactory.fromAnyRef(0,
        "reference.conf's default is skill-sd's alone; off for algorithm " + SettingsReader.label(algorithm)));
  }

  /** The {@code skillsd} section, rendered as HOCON with comments stripped: what the run directory keeps. */
  public String renderResolved() {
    return config.getConfig("skillsd").atPath("skillsd").root().render(
        com.typesafe.config.ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }
}
