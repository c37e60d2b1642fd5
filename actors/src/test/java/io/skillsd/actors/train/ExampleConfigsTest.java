package io.skillsd.actors.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.environments.EnvironmentRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config under {@code examples/} loads and passes the same validation a run does before it starts. */
class ExampleConfigsTest {

  @Test
  void everyExampleConfigIsValid() throws Exception {
    Path examples = null;
    for (Path p = Path.of("").toAbsolutePath(); p != null && examples == null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples"))) {
        examples = p.resolve("examples");
      }
    }
    assertNotNull(examples, "examples/ above " + Path.of("").toAbsolutePath());
    List<Path> configs;
    try (Stream<Path> files = Files.list(examples)) {
      configs = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
    }
    assertFalse(configs.isEmpty(), "no .conf in " + examples);
    for (Path config : configs) {
      SkillsdSettings settings = SkillsdSettings.load(config, Map.of());
      TrainSettings.from(settings);
      EnvironmentRegistry.load().provider(settings.environment().name()).create(settings.environment().options());
    }
  }
}
