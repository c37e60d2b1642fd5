package io.skillsd.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SkillsdCliTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void helpListsEveryCommandWithADescription() {
    CliRun r = run("--help");
    assertEquals(0, r.code());
    for (String command : new String[] {"version", "doctor", "env"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(command + " ") && l.trim().length() > command.length() + 5),
          command + " listed with a description in:\n" + r.out());
    }
  }

  @Test
  void everyCommandAnswersHelpAsTheFooterSays() {
    // the top-level footer tells users to run 'skillsd <command> --help'
    for (String[] command : new String[][] {{"train"}, {"pretrain"}, {"bench", "model"}, {"bench", "rollout"},
        {"model", "info"}, {"experiment"}, {"node"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      CliRun r = run(args);
      String name = String.join(" ", command);
      assertEquals(0, r.code(), name + " --help: " + r.err());
      assertTrue(r.out().startsWith("Usage: skillsd " + name), name + " --help printed: " + r.out());
    }
  }

  @Test
  void unknownCommandIsExitCode2WithAClearMessage() {
    CliRun r = run("trian");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown command 'trian'"), r.err());
  }

  @Test
  void badFlagIsExitCode2() {
    CliRun r = run("doctor", "--no-such-flag");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--no-such-flag"), r.err());
  }

  @Test
  void noCommandIsAUsageError() {
    assertEquals(2, run().code());
  }

  @Test
  void versionNamesTheStack() {
    CliRun r = run("version");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("akka 2.6.21"), r.out());
    assertTrue(r.out().contains("djl 0.36.0"), r.out());
  }
}
