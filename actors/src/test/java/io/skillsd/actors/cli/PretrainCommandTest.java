package io.skillsd.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PretrainCommandTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void isListedAndDocumentsItsOptions() {
    CliRun help = run("--help");
    assertTrue(help.out().lines().anyMatch(l -> l.trim().startsWith("pretrain ")), help.out());
    CliRun r = run("pretrain", "--help");
    assertEquals(0, r.code());
    for (String option : new String[] {"--preset", "--steps", "--seed", "--out", "--evaluate", "--eval-levels",
        "--size", "--prompt-style", "--teacher-share", "--teacher-wander-share"}) {
      assertTrue(r.out().contains(option), option + " in:\n" + r.out());
    }
  }

  @Test
  void badInputIsAUsageErrorNamingWhatIsWrong() {
    CliRun steps = run("pretrain", "--steps", "0", "--eval-levels", "0");
    assertEquals(2, steps.code());
    assertTrue(steps.err().contains("steps must be >= 1"), steps.err());
    CliRun preset = run("pretrain", "--preset", "nope");
    assertEquals(2, preset.code());
    assertTrue(preset.err().contains("allowed: ragen, skill-sd"), preset.err());
    CliRun size = run("pretrain", "--size", "huge", "--eval-levels", "0");
    assertEquals(2, size.code());
    assertTrue(size.err().contains("allowed: tiny, base, small10m"), size.err());
    CliRun style = run("pretrain", "--prompt-style", "terse", "--eval-levels", "0");
    assertEquals(2, style.code());
    assertTrue(style.err().contains("allowed: full, compact"), style.err());
    CliRun share = run("pretrain", "--teacher-share", "1.5", "--eval-levels", "0");
    assertEquals(2, share.code());
    assertTrue(share.err().contains("teacher share must be in (0, 1)"), share.err());
    CliRun wander = run("pretrain", "--teacher-wander-share", "1", "--eval-levels", "0");
    assertEquals(2, wander.code());
    assertTrue(wander.err().contains("teacher wander share must be in [0, 1)"), wander.err());
    CliRun missing = run("pretrain", "--evaluate", "/no/such/checkpoint");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no checkpoint directory /no/such/checkpoint"), missing.err());
  }
}
