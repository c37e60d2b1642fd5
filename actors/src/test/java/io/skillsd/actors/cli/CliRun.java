package io.skillsd.actors.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code skillsd} command line, for tests: the exit code and what it printed.
 */
public record CliRun(int code, String out, String err) {

  public static CliRun of(String... args) {
    CommandLine cli = SkillsdCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
