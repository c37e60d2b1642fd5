package io.skillsd.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SkillsdCliTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = SkillsdCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryCommandWithADescription() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String command : new String[] {"version", "doctor", "env"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(command + " ") && l.trim().length() > command.length() + 5),
          command + " listed with a description in:\n" + r.out());
    }
  }

  @Test
  void unknownCommandIsExitCode2WithAClearMessage() {
    Run r = run("trian");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown command 'trian'"), r.err());
  }

  @Test
  void badFlagIsExitCode2() {
    Run r = run("doctor", "--no-such-flag");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--no-such-flag"), r.err());
  }

  @Test
  void noCommandIsAUsageError() {
    assertEquals(2, run().code());
  }

  @Test
  void versionNamesTheStack() {
    Run r = run("version");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("akka 2.6.21"), r.out());
    assertTrue(r.out().contains("djl 0.36.0"), r.out());
  }
}
