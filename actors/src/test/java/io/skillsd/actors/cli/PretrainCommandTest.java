package io.skillsd.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PretrainCommandTest {

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
  void isListedAndDocumentsItsOptions() {
    Run help = run("--help");
    assertTrue(help.out().lines().anyMatch(l -> l.trim().startsWith("pretrain ")), help.out());
    Run r = run("pretrain", "--help");
    assertEquals(0, r.code());
    for (String option : new String[] {"--preset", "--steps", "--seed", "--out", "--evaluate", "--eval-levels"}) {
      assertTrue(r.out().contains(option), option + " in:\n" + r.out());
    }
  }

  @Test
  void badInputIsAUsageErrorNamingWhatIsWrong() {
    Run steps = run("pretrain", "--steps", "0", "--eval-levels", "0");
    assertEquals(2, steps.code());
    assertTrue(steps.err().contains("steps must be >= 1"), steps.err());
    Run preset = run("pretrain", "--preset", "nope");
    assertEquals(2, preset.code());
    assertTrue(preset.err().contains("allowed: ragen, skill-sd"), preset.err());
    Run missing = run("pretrain", "--evaluate", "/no/such/checkpoint");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no checkpoint directory /no/such/checkpoint"), missing.err());
  }
}
