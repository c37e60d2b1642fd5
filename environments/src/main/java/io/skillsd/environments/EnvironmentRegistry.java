package io.skillsd.environments;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Finds environments through {@link ServiceLoader}, so a jar on the class path adds one. */
public final class EnvironmentRegistry {

  private static final String SERVICES = "META-INF/services/" + EnvironmentProvider.class.getName();

  private final Map<String, EnvironmentProvider> providers;

  private EnvironmentRegistry(Map<String, EnvironmentProvider> providers) {
    this.providers = providers;
  }

  /**
   * The providers visible to {@code loader}. Two providers with one name, and a provider that cannot be loaded
   * (a class its services file names but the class path lacks, one compiled for a newer Java, one without a
   * public no-argument constructor), are configuration errors, reported with where they come from.
   */
  public static EnvironmentRegistry load(ClassLoader loader) {
    Map<String, EnvironmentProvider> found = new TreeMap<>();
    try {
      for (EnvironmentProvider p : ServiceLoader.load(EnvironmentProvider.class, loader)) {
        EnvironmentProvider previous = found.put(p.name(), p);
        if (previous != null) {
          throw new IllegalArgumentException("two environments are named '" + p.name() + "': "
              + previous.getClass().getName() + location(previous.getClass()).map(l -> " (" + l + ")").orElse("")
              + " and " + p.getClass().getName() + location(p.getClass()).map(l -> " (" + l + ")").orElse(""));
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      String cause = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause();
      throw new IllegalArgumentException("an environment on the class path cannot be loaded: " + cause
          + listedIn(loader, cause) + ". A class named in " + SERVICES + " must be on the class path, public, with a public no-argument constructor, and compiled for Java "
          + Runtime.version().feature() + " or older", e);
    }
    return new EnvironmentRegistry(Map.copyOf(found));
  }

  /** Which services file names the provider that {@code message} is about, if one does. */
  private static String listedIn(ClassLoader loader, String message) {
    try {
      for (URL file : Collections.list(loader.getResources(SERVICES))) {
        try (InputStream in = file.openStream()) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
            String name = line.replaceAll("#.*", "").strip();
            if (!name.isEmpty() && message.contains(name)) {
              return " (listed in " + file + ")";
            }
          }
        }
      }
    } catch (IOException e) {
      // no more to say than the error itself
    }
    return "";
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
