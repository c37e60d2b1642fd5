package io.skillsd.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import io.skillsd.actors.settings.SettingsException;
import io.skillsd.actors.settings.SkillsdSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a cluster node sits: its role, the address it binds, and the seed node it joins. {@link #settings}
 * builds the node's complete settings: the user's {@code -D} overrides and config file, then
 * {@code skillsd-cluster.conf}, then the reference configuration.
 *
 * @param role learner or rollout
 * @param host the canonical (and bound) host name; 127.0.0.1 by default
 * @param port the port (0 picks a free one)
 * @param seed host:port of the node to join (the learner's own address for the learner)
 */
public record ClusterNode(Role role, String host, int port, String seed) {

  /** The actor system name every node of a skillsd cluster uses. */
  public static final String SYSTEM_NAME = "skillsd";

  /** A node's role in the cluster. */
  public enum Role {
    /** Coordinator, learner, teacher, skill bank: exactly one node. */
    LEARNER,
    /** Policy server and episode runners: any number of nodes. */
    ROLLOUT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ClusterNode {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(seed, "seed");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be in [0, 65535], was " + port);
    }
    int colon = seed.lastIndexOf(':');
    if (colon <= 0 || !seed.substring(colon + 1).matches("\\d{1,5}")) {
      throw new IllegalArgumentException("--seed must be host:port, was '" + seed + "'");
    }
  }

  /** The seed's actor system address, as Akka's {@code seed-nodes} wants it. */
  public String seedAddress() {
    return "akka://" + SYSTEM_NAME + "@" + seed;
  }

  /** This node's settings: {@code -D} overrides, the config file, the cluster defaults, the reference. */
  public SkillsdSettings settings(Path file, Map<String, String> overrides) {
    Config node = ConfigFactory.empty()
        .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(List.of(role.label())))
        .withValue("akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(seedAddress())));
    Config user = ConfigFactory.empty();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      Config one;
      try {
        one = ConfigFactory.parseString(e.getKey() + " = " + e.getValue());
      } catch (ConfigException.Parse ex) {
        one = ConfigFactory.parseString(e.getKey() + " = " + ConfigUtil.quoteString(e.getValue()));
      }
      user = one.withFallback(user);
    }
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new SettingsException("--config", file.toString(), "no such file");
      }
      user = user.withFallback(ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
    }
    Config merged = node.withFallback(user)
        .withFallback(ConfigFactory.parseResources(ClusterNode.class.getClassLoader(), "skillsd-cluster.conf"))
        .withFallback(SkillsdSettings.loadConfig(file, overrides))
        .resolve();
    return SkillsdSettings.from(merged);
  }
}
