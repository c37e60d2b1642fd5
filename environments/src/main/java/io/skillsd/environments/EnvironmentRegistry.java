package io.skillsd.environments;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Finds environments through {@link ServiceLoader}, so a jar on the class path adds one. */
public final class EnvironmentRegistry {

  private final Map<String, EnvironmentProvider> providers;

  private EnvironmentRegistry(Map<String, EnvironmentProvider> providers) {
    this.providers = providers;
  }

  /** The providers visible to {@code loader}. Two providers with one name are a configuration error. */
  public static EnvironmentRegistry load(ClassLoader loader) {
    Map<String, EnvironmentProvider> found = new TreeMap<>();
    for (EnvironmentProvider p : ServiceLoader.load(EnvironmentProvider.class, loader)) {
      EnvironmentProvider previous = found.put(p.name(), p);
      if (previous != null) {
        throw new IllegalStateException("two environments are named '" + p.name() + "': "
            + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return new EnvironmentRegistry(Map.copyOf(found));
  }

  /** The providers visible to this class's loader. */
  public static EnvironmentRegistry load() {
    return load(EnvironmentRegistry.class.getClassLoader());
  }

  public List<String> names() {
    return providers.keySet().stream().sorted().collect(Collectors.toList());
  }

  public EnvironmentProvider provider(String name) {
    EnvironmentProvider p = providers.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown environment '" + name + "' (available: "
          + String.join(", ", names()) + "; an environment of another jar is found once that jar is on the class "
          + "path, e.g. SKILLSD_CLASSPATH=its.jar ./skillsd ...)");
    }
    return p;
  }

  /**
   * Where {@code name}'s provider was loaded from (its jar or class folder), or empty when it comes from the
   * same place as this registry, as skillsd's own environments do.
   */
  public Optional<String> origin(String name) {
    Optional<String> own = location(EnvironmentRegistry.class);
    Optional<String> its = location(provider(name).getClass());
    return its.equals(own) ? Optional.empty() : its;
  }

  private static Optional<String> location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(source.getLocation().toURI()).toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.of(source.getLocation().toString());
    }
  }

  public Environment create(String name, Map<String, String> options) {
    return provider(name).create(options);
  }
}
