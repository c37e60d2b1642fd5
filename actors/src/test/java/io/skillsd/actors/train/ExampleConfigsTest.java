package io.skillsd.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.skills.SkillsSettings;
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
    Path examples = examplesDir();
    List<Path> configs;
    try (Stream<Path> files = Files.list(examples)) {
      configs = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
    }
    assertFalse(configs.isEmpty(), "no .conf in " + examples);
    for (Path config : configs) {
      SkillsdSettings settings = SkillsdSettings.load(config, Map.of());
      TrainSettings.from(settings);
      SkillsSettings.from(settings);
      EnvironmentRegistry.load().provider(settings.environment().name()).create(settings.environment().options());
    }
  }

  /** The corrections preset builds on the many-level one through its include. */
  @Test
  void correctionsPresetIncludesTheManyLevelSetup() {
    Path examples = examplesDir();
    SkillsdSettings settings = SkillsdSettings.load(examples.resolve("sokoban-wide-corrections.conf"), Map.of());
    var c = settings.config();
    assertEquals(256, c.getInt("skillsd.environment.options.sokoban.train-size"));
    assertEquals(16, c.getInt("skillsd.train.tasks-per-iteration"));
    assertEquals(1.0, c.getDouble("skillsd.train.lambda"));
    assertEquals("all", c.getString("skillsd.train.skill-sources"));
    assertEquals("frozen", c.getString("skillsd.train.teacher-sync"));
    assertTrue(SkillsSettings.from(settings).solveFailures());
  }

  /** The frozen-teacher preset builds on the many-level one with the settings of its RESULTS section. */
  @Test
  void frozenPresetIncludesTheManyLevelSetup() {
    SkillsdSettings settings = SkillsdSettings.load(examplesDir().resolve("sokoban-wide-frozen.conf"), Map.of());
    var c = settings.config();
    assertEquals(256, c.getInt("skillsd.environment.options.sokoban.train-size"));
    assertEquals("successes", c.getString("skillsd.train.skill-sources"));
    TrainSettings train = TrainSettings.from(settings);
    assertEquals(TrainSettings.Reward.COMPLETION_FORMAT, train.reward());
    assertEquals(3e-4, c.getDouble("skillsd.train.learning-rate"), 0);
    assertEquals("frozen", c.getString("skillsd.train.teacher-sync"));
    assertEquals(1.0, c.getDouble("skillsd.train.lambda"));
  }

  /** The shared-skills preset is the frozen-teacher one with skills shared between levels of one layout. */
  @Test
  void similarPresetIsTheFrozenOneWithSharedSkills() {
    SkillsdSettings similar = SkillsdSettings.load(examplesDir().resolve("sokoban-wide-similar.conf"), Map.of());
    SkillsdSettings frozen = SkillsdSettings.load(examplesDir().resolve("sokoban-wide-frozen.conf"),
        Map.of("skillsd.train.skill-retrieval", "similar"));
    assertEquals(TrainSettings.SkillRetrieval.SIMILAR, TrainSettings.from(similar).skillRetrieval());
    assertEquals(frozen.config().getConfig("skillsd.train").root().unwrapped(),
        similar.config().getConfig("skillsd.train").root().unwrapped());
    assertEquals(TrainSettings.SkillRetrieval.TASK, TrainSettings.from(
        SkillsdSettings.load(examplesDir().resolve("sokoban-wide-frozen.conf"), Map.of())).skillRetrieval());
  }

  /** The defaults are the anchored preset's settings: the ones under which the comparison reaches the paper's ordering. */
  @Test
  void defaultsAreTheAnchoredPreset() {
    SkillsdSettings defaults = SkillsdSettings.load(null, Map.of());
    SkillsdSettings anchored = SkillsdSettings.load(examplesDir().resolve("sokoban-wide-anchored.conf"), Map.of());
    assertEquals(anchored.config().getConfig("skillsd.train").root().unwrapped(),
        defaults.config().getConfig("skillsd.train").root().unwrapped());
    assertEquals(anchored.environment(), defaults.environment());
    TrainSettings train = TrainSettings.from(defaults);
    assertEquals(TrainSettings.SkillRetrieval.SIMILAR, train.skillRetrieval());
    assertTrue(train.keepsInitialWeights());
    assertEquals(TrainSettings.Reward.COMPLETION_FORMAT, train.reward());
  }

  /** The paper preset restores every default that departs from the paper. */
  @Test
  void paperPresetRestoresThePapersSettings() {
    SkillsdSettings paper = SkillsdSettings.load(examplesDir().resolve("sokoban-paper.conf"), Map.of());
    var c = paper.config();
    assertEquals(16, c.getInt("skillsd.environment.options.sokoban.train-size"));
    assertEquals(4, c.getInt("skillsd.train.tasks-per-iteration"));
    assertEquals(0.001, c.getDouble("skillsd.train.lambda"));
    assertEquals(1e-4, c.getDouble("skillsd.train.learning-rate"), 0);
    assertEquals(0.0, c.getDouble("skillsd.train.maintenance-weight"));
    TrainSettings train = TrainSettings.from(paper);
    assertEquals(TrainSettings.SkillRetrieval.TASK, train.skillRetrieval());
    assertEquals(TrainSettings.Reward.COMPLETION, train.reward());
    assertEquals("all", c.getString("skillsd.train.skill-sources"));
    assertEquals("dynamic", c.getString("skillsd.train.teacher-sync"));
    assertFalse(train.keepsInitialWeights());
  }

  private static Path examplesDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples"))) {
        return p.resolve("examples");
      }
    }
    throw new AssertionError("no examples/ above " + Path.of("").toAbsolutePath());
  }
}
