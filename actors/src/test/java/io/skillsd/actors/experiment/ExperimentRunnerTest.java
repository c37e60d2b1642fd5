package io.skillsd.actors.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.skillsd.actors.settings.SkillsdSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which finished runs count as made with an experiment's settings. */
class ExperimentRunnerTest {

  @TempDir
  Path dir;

  @Test
  void aSettingAddedAfterARunCountsAsItsDefault() throws Exception {
    SkillsdSettings now = SkillsdSettings.load(null, Map.of("skillsd.train.lambda", "0.01"));
    // The run's stored config as an older version wrote it: without a key that exists now.
    String rendered = now.renderResolved();
    String older = rendered.replaceAll("(?m)^\\s*eval-split\\s*=.*$", "");
    assertEquals(false, older.equals(rendered), "the stored config lacks eval-split");
    Path stored = dir.resolve("config.conf");
    Files.writeString(stored, older);
    assertEquals(List.of(), ExperimentRunner.differingKeys(stored, now));

    // The same key at a value other than its default is a difference.
    SkillsdSettings other = SkillsdSettings.load(null,
        Map.of("skillsd.train.lambda", "0.01", "skillsd.train.eval-split", "train"));
    assertEquals(List.of("skillsd.train.eval-split"), ExperimentRunner.differingKeys(stored, other));
  }

  @Test
  void aChangedSettingIsADifference() throws Exception {
    Path stored = dir.resolve("config.conf");
    Files.writeString(stored, SkillsdSettings.load(null, Map.of("skillsd.train.lambda", "0.01")).renderResolved());
    SkillsdSettings now = SkillsdSettings.load(null, Map.of("skillsd.train.lambda", "0.001"));
    assertEquals(List.of("skillsd.train.lambda"), ExperimentRunner.differingKeys(stored, now));
  }
}
