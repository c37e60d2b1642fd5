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
    assertUsageError("steps must be >= 1", "pretrain", "--steps", "0", "--eval-levels", "0");
    assertUsageError("allowed: ragen, skill-sd", "pretrain", "--preset", "nope");
    assertUsageError("allowed: tiny, base, small10m", "pretrain", "--size", "huge", "--eval-levels", "0");
    assertUsageError("allowed: full, compact, answers", "pretrain", "--prompt-style", "terse", "--eval-levels", "0");
    assertUsageError("teacher share must be in (0, 1)", "pretrain", "--teacher-share", "1.5", "--eval-levels", "0");
    assertUsageError("teacher wander share must be in [0, 1)", "pretrain", "--teacher-wander-share", "1",
        "--eval-levels", "0");
    assertUsageError("no checkpoint directory /no/such/checkpoint", "pretrain", "--evaluate", "/no/such/checkpoint");
    assertUsageError("--failure-skills measures a checkpoint", "pretrain", "--failure-skills", "--steps", "1");
    assertUsageError("--solve-failures changes the skills of --failure-skills", "pretrain", "--evaluate",
        "models/base-agent", "--solve-failures");
    assertUsageError("--similar-skills N measures a checkpoint", "pretrain", "--similar-skills", "16", "--steps", "1");
    assertUsageError("--similar-skills N measures a checkpoint", "pretrain", "--evaluate", "models/base-agent",
        "--similar-skills", "0");
  }

  /** The command exits with the usage code 2 and its error names {@code expected}. */
  private static void assertUsageError(String expected, String... args) {
    CliRun r = run(args);
    assertEquals(2, r.code(), String.join(" ", args));
    assertTrue(r.err().contains(expected), r.err());
  }
}
