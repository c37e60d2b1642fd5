package io.skillsd.environments;

import java.util.Map;
import java.util.Set;

/**
 * The service-provider interface: a jar that lists an implementation in
 * {@code META-INF/services/io.skillsd.environments.EnvironmentProvider} adds an environment to skillsd.
 */
public interface EnvironmentProvider {

  /** The registry name, lower-case, e.g. {@code sokoban}. */
  String name();

  /** One line on what the environment is, for {@code ./skillsd env --list}. */
  String description();

  /** The option keys {@link #create(Map)} understands (e.g. {@code preset}, {@code max-steps}). */
  Set<String> optionKeys();

  /**
   * A fresh environment configured by {@code options} (string keys and values, from the config file or
   * the command line). Unknown keys or bad values throw {@link IllegalArgumentException} naming the key,
   * the value and what is allowed.
   */
  Environment create(Map<String, String> options);
}
