package io.skillsd.actors.cli;

import io.skillsd.actors.report.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code skillsd report runs/<id>}: render a run's report.html and charts from its metrics. */
@Command(name = "report", description = "Render report.html with PNG charts for a run directory.")
final class ReportCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory (runs/<id>).")
  Path runDir;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(runDir.resolve("metrics.jsonl"))) {
      throw new UserError(runDir + " has no metrics.jsonl; is it a run directory?", 2);
    }
    spec.commandLine().getOut().println(RunReport.write(runDir).toAbsolutePath());
    return 0;
  }
}
