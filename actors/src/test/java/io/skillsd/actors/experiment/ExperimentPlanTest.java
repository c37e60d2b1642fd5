package io.skillsd.actors.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.actors.cli.CliRun;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainSettings;
import io.skillsd.policies.objectives.Algorithm;
import io.skillsd.policies.objectives.TeacherSync;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExperimentPlanTest {

  private static ExperimentPlan plan(Map<String, String> overrides, List<Variant> variants, int seeds) {
    return new ExperimentPlan("sokoban", Optional.empty(), overrides, seeds, 7, variants, Path.of("/tmp/exp"), "cmd");
  }

  @Test
  void runsGoSeedBySeedWithOneDirectoryEach() {
    ExperimentPlan p = plan(Map.of(), List.of(Variant.GRPO, Variant.SKILL_SD_FROZEN), 2);
    assertEquals(List.of("grpo-s0", "skill-sd-frozen-s0", "grpo-s1", "skill-sd-frozen-s1"),
        p.runs().stream().map(ExperimentPlan.Run::id).toList());
    assertEquals(Path.of("/tmp/exp/grpo-s1"), p.dir(p.runs().get(2)));
  }

  @Test
  void eachRunGetsTheBaseConfigItsVariantItsSeedAndTheSameIterations() {
    ExperimentPlan p = plan(Map.of("skillsd.train.lambda", "0.02", "skillsd.train.teacher-sync", "ema",
        "skillsd.train.algorithm", "grpo"), List.of(Variant.SKILL_SD, Variant.SKILL_SD_FROZEN, Variant.OPD, Variant.BASE), 2);
    for (ExperimentPlan.Run run : p.runs()) {
      SkillsdSettings s = p.settings(run);
      TrainSettings t = TrainSettings.from(s);
      assertEquals(run.seed(), s.run().seed());
      assertEquals(Optional.of(run.id()), s.run().id());
      assertEquals(Path.of("/tmp/exp"), s.run().dir());
      assertEquals("sokoban", s.environment().name());
      switch (run.variant()) {
        case SKILL_SD -> {
          assertEquals(Algorithm.SKILL_SD, t.objective().algorithm(), "the variant's algorithm wins over -D");
          assertEquals(0.02, t.objective().lambda(), 1e-12, "-D reaches every run");
          assertTrue(t.objective().teacherSync() instanceof TeacherSync.Ema, "skill-sd keeps the config's teacher sync");
          assertEquals(7, t.iterations());
        }
        case SKILL_SD_FROZEN -> {
          assertTrue(t.objective().teacherSync() instanceof TeacherSync.Frozen);
          assertEquals(7, t.iterations());
        }
        case OPD -> assertEquals(Algorithm.OPD, t.objective().algorithm());
        case BASE -> assertEquals(0, t.iterations(), "base only evaluates");
        default -> throw new AssertionError(run);
      }
    }
  }

  @Test
  void aPresetWithSkillSdOnlySettingsRunsEveryVariantAndKeepsThemForSkillSdAlone() {
    ExperimentPlan p = plan(Map.of("skillsd.train.maintenance", "kl-initial", "skillsd.train.maintenance-weight", "1",
        "skillsd.train.teacher-skill", "group-success"), List.of(Variant.values()), 1);
    for (ExperimentPlan.Run run : p.runs()) {
      TrainSettings t = TrainSettings.from(p.settings(run));
      switch (run.variant()) {
        case SKILL_SD, SKILL_SD_FROZEN -> {
          assertEquals(1.0, t.maintenanceWeight(), 0.0, run.id());
          assertTrue(t.keepsInitialWeights(), run.id());
          assertEquals(TrainSettings.TeacherSkill.GROUP_SUCCESS, t.teacherSkill(), run.id());
        }
        case OPD -> {
          assertEquals(0.0, t.maintenanceWeight(), 0.0, "its replays are chosen by the reward OPD trains without");
          assertEquals(TrainSettings.TeacherSkill.GROUP_SUCCESS, t.teacherSkill(), "OPD has a teacher");
        }
        case BASE -> assertEquals(0, t.iterations());
        case GRPO, SKILL_AUGMENTED_GRPO -> {
          assertEquals(0.0, t.maintenanceWeight(), 0.0, run.id());
          assertEquals(TrainSettings.TeacherSkill.BANK, t.teacherSkill(), run.id());
        }
        default -> throw new AssertionError(run);
      }
    }
  }

  @Test
  void refusesWhatCannotBeAnExperiment() {
    assertThrows(IllegalArgumentException.class, () -> plan(Map.of(), List.of(Variant.GRPO), 0));
    assertThrows(IllegalArgumentException.class, () -> plan(Map.of(), List.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> plan(Map.of(), List.of(Variant.GRPO, Variant.GRPO), 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plan(Map.of("skillsd.train.iterations", "5"), List.of(Variant.GRPO), 1));
    assertTrue(e.getMessage().contains("--iterations"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ExperimentPlan("sokoban", Optional.empty(), Map.of(), 1,
        7, List.of(Variant.GRPO), Path.of("/tmp/exp"), "cmd", Optional.empty(),
        Map.of("skillsd.environment.options.sokoban.test-size", "4096")));
    assertTrue(e.getMessage().contains("--no-final-evals"), e.getMessage());
  }

  @Test
  void variantNamesParseAndTheCommandDefaultListsThemAll() {
    for (Variant v : Variant.values()) {
      assertEquals(v, Variant.parse(v.label()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("sft"));
    assertTrue(e.getMessage().contains("skill-sd-frozen"), e.getMessage());
    CliRun help = CliRun.of("experiment", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().replaceAll("\\s+", "").contains(Variant.allLabels()), help.out());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "--variants; grpo,sft; unknown variant 'sft'",
      "--seeds; 0; --seeds must be at least 1",
      "--iterations; 0; --iterations must be at least 1",
      "-D; skillsd.run.seed=4; use --seeds",
      "--final-eval-set; skillsd.train.eval-episodes=512; use --final-eval-episodes",
      "--final-eval-set; skillsd.policy.model=builtin:tiny; the run's final model is evaluated"})
  void badArgumentsFailWithOneLineAndExitCode2(String option, String value, String message) {
    CliRun r = CliRun.of("experiment", "sokoban", option, value, "--out", "/tmp/never-written");
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(message), r.err());
  }

  @Test
  void anUnknownEnvironmentFailsBeforeAnyRun() {
    CliRun r = CliRun.of("experiment", "sokobam", "--out", "/tmp/never-written");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown environment 'sokobam'"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
