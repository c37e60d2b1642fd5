package io.skillsd.environments;

import java.util.List;
import java.util.Map;
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
          + String.join(", ", names()) + ")");
    }
    return p;
  }

  public Environment create(String name, Map<String, String> options) {
    return provider(name).create(options);
  }
}
