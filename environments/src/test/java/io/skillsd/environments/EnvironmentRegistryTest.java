package io.skillsd.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.sokoban.SokobanProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A class path that lists environments wrongly is reported in one message that says where, never half-loaded. */
class EnvironmentRegistryTest {

  @TempDir
  Path dir;

  /** A class folder on top of this module's class path whose services file lists {@code providers}. */
  private ClassLoader withServices(String... providers) throws IOException {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(EnvironmentProvider.class.getName()), String.join("\n", providers) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, EnvironmentRegistry.class.getClassLoader());
  }

  @Test
  void aListedClassThatIsMissingNamesTheClassAndTheFileThatListsIt() throws IOException {
    ClassLoader loader = withServices("# a comment", "com.example.NoSuchProvider");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvironmentRegistry.load(loader));
    assertTrue(e.getMessage().startsWith("an environment on the class path cannot be loaded: "), e.getMessage());
    assertTrue(e.getMessage().contains("com.example.NoSuchProvider"), e.getMessage());
    assertTrue(e.getMessage().contains("(listed in file:") && e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("public no-argument constructor"), e.getMessage());
  }

  @Test
  void aListedClassThatIsNoProviderIsReported() throws IOException {
    ClassLoader loader = withServices(EnvironmentRegistryTest.class.getName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvironmentRegistry.load(loader));
    assertTrue(e.getMessage().contains(EnvironmentRegistryTest.class.getName() + " not a subtype"), e.getMessage());
  }

  @Test
  void twoEnvironmentsOfOneNameNameBothClasses() throws IOException {
    // this module's own services file lists sokoban; the folder lists a second provider of that name
    ClassLoader loader = withServices(SecondSokoban.class.getName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvironmentRegistry.load(loader));
    assertTrue(e.getMessage().startsWith("two environments are named 'sokoban': "), e.getMessage());
    assertTrue(e.getMessage().contains(SokobanProvider.class.getName())
        && e.getMessage().contains(SecondSokoban.class.getName()), e.getMessage());
  }

  @Test
  void onlyEnvironmentsFromElsewhereNameTheirOrigin() throws Exception {
    EnvironmentRegistry registry = EnvironmentRegistry.load(withServices(Elsewhere.class.getName()));
    assertEquals(Optional.empty(), registry.origin("sokoban"), "skillsd's own environment");
    Path testClasses = Path.of(Elsewhere.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertEquals(Optional.of(testClasses.toString()), registry.origin("elsewhere"));
  }

  /** A provider that takes an existing name. */
  public static final class SecondSokoban extends SokobanProviderDelegate {}

  /** A provider of its own name, from another class folder than skillsd's environments. */
  public static final class Elsewhere extends SokobanProviderDelegate {
    @Override
    public String name() {
      return "elsewhere";
    }
  }

  /** Sokoban's provider under another class name (the provider class itself is final). */
  public static class SokobanProviderDelegate implements EnvironmentProvider {
    private final SokobanProvider sokoban = new SokobanProvider();

    @Override
    public String name() {
      return sokoban.name();
    }

    @Override
    public String description() {
      return sokoban.description();
    }

    @Override
    public java.util.Set<String> optionKeys() {
      return sokoban.optionKeys();
    }

    @Override
    public Environment create(java.util.Map<String, String> options) {
      return sokoban.create(options);
    }
  }
}
