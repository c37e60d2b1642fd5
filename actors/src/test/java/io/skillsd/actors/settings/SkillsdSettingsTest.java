package io.skillsd.actors.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillsdSettingsTest {

  @Test
  void defaultsLoadAndValidate() {
    SkillsdSettings s = SkillsdSettings.load(null, Map.of());
    assertEquals(Path.of("runs"), s.run().dir());
    assertTrue(s.run().id().isEmpty());
    assertEquals(ComputeSettings.Device.AUTO, s.compute().device());
    assertEquals("sokoban", s.environment().name());
    assertEquals("ragen", s.environment().options().get("preset"));
    assertEquals("256", s.environment().options().get("train-size"));
  }

  @Test
  void wrongTypeNamesKeyValueAndAllowed() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.compute.threads", "\"many\"")));
    assertEquals("skillsd.compute.threads", e.key());
    assertTrue(e.getMessage().startsWith("skillsd.compute.threads = \"many\""), e.getMessage());
    assertTrue(e.getMessage().contains("must be an integer in [0, 1024]"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void outOfRangeNamesKeyValueAndRange() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.compute.threads", "-3")));
    assertEquals("skillsd.compute.threads = -3: must be an integer in [0, 1024]", e.getMessage());
  }

  @Test
  void unknownEnumNamesKeyValueAndChoices() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.compute.device", "tpu")));
    assertEquals("skillsd.compute.device = \"tpu\": must be one of [auto, cpu, gpu]", e.getMessage());
  }

  @Test
  void badValueInAFileIsReportedTheSameWay(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "skillsd.run { seed = true }\n");
    SettingsException e = assertThrows(SettingsException.class, () -> SkillsdSettings.load(file, Map.of()));
    assertEquals("skillsd.run.seed", e.key());
    assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
  }

  @Test
  void sectionOfTheWrongShapeIsNamed() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.environment.options.sokoban", "[1, 2]")));
    assertEquals("skillsd.environment.options.\"sokoban\"", e.key());
  }

  @Test
  void eachEnvironmentGetsOnlyItsOwnOptions() {
    SkillsdSettings s = SkillsdSettings.load(null, Map.of("skillsd.environment.name", "miniappworld",
        "skillsd.environment.options.miniappworld.max-turns", "12"));
    assertEquals(Map.of("max-turns", "12"), s.environment().options());
    SkillsdSettings plugged = SkillsdSettings.load(null, Map.of("skillsd.environment.name", "guess-number"));
    assertEquals(Map.of(), plugged.environment().options());
  }

  @Test
  void malformedRunIdIsRejected() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.run.id", "\"a/b\"")));
    assertEquals("skillsd.run.id", e.key());
  }

  @Test
  void missingFileIsAClearError() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(Path.of("no-such-file.conf"), Map.of()));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void overridesWinOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.conf");
    Files.writeString(file, "skillsd.run.seed = 5\nskillsd.environment.options.sokoban.preset = ragen\n");
    SkillsdSettings s = SkillsdSettings.load(file, Map.of("skillsd.run.seed", "9"));
    assertEquals(9, s.run().seed());
    assertEquals("ragen", s.environment().options().get("preset"));
    assertEquals("256", s.environment().options().get("train-size"));
  }

  /** The maintenance term's default μ is Skill-SD's: left at it, the other algorithms run without the term. */
  @Test
  void maintenanceDefaultIsSkillSdsAlone(@TempDir Path dir) throws Exception {
    String mu = "skillsd.train.maintenance-weight";
    assertEquals(1.0, SkillsdSettings.load(null, Map.of()).config().getDouble(mu));
    for (String algorithm : new String[] {"grpo", "opd", "skill-augmented-grpo", "OPD"}) {
      SkillsdSettings s = SkillsdSettings.load(null, Map.of("skillsd.train.algorithm", algorithm));
      assertEquals(0.0, s.config().getDouble(mu), algorithm);
      assertTrue(s.renderResolved().contains("maintenance-weight=0"), s.renderResolved());
    }
    // Given explicitly, by an override or by a file, it stays as given.
    assertEquals(0.5, SkillsdSettings.load(null, Map.of("skillsd.train.algorithm", "opd", mu, "0.5"))
        .config().getDouble(mu));
    Path file = dir.resolve("opd.conf");
    Files.writeString(file, "skillsd.train { algorithm = opd, maintenance-weight = 1 }\n");
    assertEquals(1.0, SkillsdSettings.load(file, Map.of()).config().getDouble(mu));
    // A stored resolved config (a run directory's) loads to the same value.
    SkillsdSettings grpo = SkillsdSettings.load(null, Map.of("skillsd.train.algorithm", "grpo"));
    Path stored = dir.resolve("config.conf");
    Files.writeString(stored, grpo.renderResolved());
    assertEquals(0.0, SkillsdSettings.load(stored, Map.of()).config().getDouble(mu));
  }

  /** A misspelt key would be read by no one and the run would go on with the default; it is refused. */
  @Test
  void undeclaredKeyIsRefusedWithTheKeyMeant(@TempDir Path dir) throws Exception {
    SettingsException typo = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.train.iteratons", "2")));
    assertEquals("skillsd.train.iteratons = 2: no such setting (-D); did you mean skillsd.train.iterations?",
        typo.getMessage());
    SettingsException section = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.trian.group-size", "4")));
    assertTrue(section.getMessage().endsWith("did you mean skillsd.train.group-size?"), section.getMessage());
    SettingsException moved = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.train.seed", "4")));
    assertTrue(moved.getMessage().endsWith("did you mean skillsd.run.seed?"), moved.getMessage());
    SettingsException unlike = assertThrows(SettingsException.class,
        () -> SkillsdSettings.load(null, Map.of("skillsd.learner.batch", "4")));
    assertTrue(unlike.getMessage().endsWith("the reference.conf files list every setting there is"), unlike.getMessage());

    Path file = dir.resolve("typo.conf");
    Files.writeString(file, "skillsd.train {\n  iterations = 3\n  learning-rat = 1e-4\n}\n");
    SettingsException inFile = assertThrows(SettingsException.class, () -> SkillsdSettings.load(file, Map.of()));
    assertEquals("skillsd.train.learning-rat", inFile.key());
    assertTrue(inFile.getMessage().contains("(" + file + ", line 3)"), inFile.getMessage());
    assertTrue(inFile.getMessage().endsWith("did you mean skillsd.train.learning-rate?"), inFile.getMessage());
  }

  /** What the check lets through: environments' own options, other libraries' keys, substitutions. */
  @Test
  void declaredKeysOptionsAndOtherSectionsPass(@TempDir Path dir) throws Exception {
    SkillsdSettings plugged = SkillsdSettings.load(null, Map.of("skillsd.environment.name", "guess-number",
        "skillsd.environment.options.guess-number.range", "100", "akka.loglevel", "DEBUG"));
    assertEquals(Map.of("range", "100"), plugged.environment().options());
    Path file = dir.resolve("ok.conf");
    Files.writeString(file, "skillsd.train.iterations = 7\nskillsd.train.checkpoint-every = ${skillsd.train.iterations}\n"
        + "skillsd.skills.analyst {}\nakka.actor.debug.receive = on\nskillsd.home = \"/opt/skillsd\"\n");
    SkillsdSettings s = SkillsdSettings.load(file, Map.of());
    assertEquals(7, s.config().getInt("skillsd.train.checkpoint-every"));
    // A run directory's stored config (every resolved key) loads back.
    Path stored = dir.resolve("config.conf");
    Files.writeString(stored, s.renderResolved());
    assertEquals(7, SkillsdSettings.load(stored, Map.of()).config().getInt("skillsd.train.iterations"));
  }
}
