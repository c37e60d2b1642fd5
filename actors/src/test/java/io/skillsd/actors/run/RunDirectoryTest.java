package io.skillsd.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.skillsd.actors.settings.SkillsdSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:15:00Z"), ZoneOffset.UTC);

  @Test
  void createsFolderWithResolvedConfigAndLogs(@TempDir Path dir) {
    SkillsdSettings s = SkillsdSettings.load(null, Map.of("skillsd.run.dir", dir.toString(), "skillsd.run.seed", "42"));
    RunDirectory run = RunDirectory.create(s, CLOCK);
    assertEquals("20261126-101500-sokoban", run.runId());
    assertTrue(Files.isDirectory(run.logs()));
    Config written = ConfigFactory.parseFile(run.config().toFile());
    assertEquals(42, written.getLong("skillsd.run.seed"));
    assertEquals("ragen", written.getString("skillsd.environment.options.sokoban.preset"));
    // Re-reading the written config gives the same settings.
    assertEquals(s.run().seed(), SkillsdSettings.from(written.withFallback(ConfigFactory.defaultReference()).resolve()).run().seed());
  }

  @Test
  void automaticIdsDoNotCollide(@TempDir Path dir) {
    SkillsdSettings s = SkillsdSettings.load(null, Map.of("skillsd.run.dir", dir.toString()));
    RunDirectory a = RunDirectory.create(s, CLOCK);
    RunDirectory b = RunDirectory.create(s, CLOCK);
    assertNotEquals(a.root(), b.root());
    assertEquals("20261126-101500-sokoban-1", b.runId());
  }

  @Test
  void explicitIdThatExistsIsRefused(@TempDir Path dir) {
    SkillsdSettings s = SkillsdSettings.load(null, Map.of("skillsd.run.dir", dir.toString(), "skillsd.run.id", "exp1"));
    RunDirectory.create(s, CLOCK);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunDirectory.create(s, CLOCK));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void openRejectsAFolderThatIsNotARun(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(dir));
  }
}
