package io.skillsd.actors.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code skillsd} command line. {@code ./skillsd} at the repository root builds the runnable artifact
 * when needed and runs this class with the right JVM flags. Exit codes: 0 success, 1 failure, 2 usage
 * error (unknown command, bad flag).
 */
@Command(
    name = "skillsd",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // every command answers --help (and --version)
    versionProvider = VersionCommand.Provider.class,
    description = "Skill-SD: skill-conditioned self-distillation on top of GRPO for multi-turn LLM agents.",
    subcommands = {
        VersionCommand.class,
        DoctorCommand.class,
        EnvCommand.class,
        PretrainCommand.class,
        io.skillsd.actors.train.TrainCommand.class,
        io.skillsd.actors.train.EvalCommand.class,
        io.skillsd.actors.experiment.ExperimentCommand.class,
        NodeCommand.class,
        ClusterCommand.class,
        ReportCommand.class,
        SkillsCommand.class,
        ModelCommand.class,
        ServeCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    },
    commandListHeading = "%nCommands:%n",
    footer = {"", "Run 'skillsd <command> --help' for a command's options."})
public final class SkillsdCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Without a command, print the usage and exit 2. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SkillsdCli());
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setParameterExceptionHandler(SkillsdCli::usageError);
    return cli;
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }

  /** A usage mistake: one line saying what is wrong, a pointer to help, exit code 2. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    String message = e.getMessage();
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && cli.getCommandSpec().subcommands().size() > 0 && !u.getUnmatched().get(0).startsWith("-")) {
      message = "unknown command '" + u.getUnmatched().get(0) + "'";
    }
    cli.getErr().println("skillsd: " + message);
    CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr());
    cli.getErr().println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
    return 2;
  }

  /** Expected failures (bad settings, bad input) print one line; anything else prints its stack trace. */
  private static final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
      if (e instanceof io.skillsd.actors.settings.SettingsException
          || e instanceof IllegalArgumentException
          || e instanceof UserError) {
        cli.getErr().println("skillsd: " + e.getMessage());
        return e instanceof UserError u ? u.exitCode() : 2;
      }
      cli.getErr().println("skillsd: " + e);
      e.printStackTrace(cli.getErr());
      return 1;
    }
  }
}
