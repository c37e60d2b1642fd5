package io.skillsd.actors.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.skillsd.actors.run.RunDirectory;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.skills.bank.BankListing;
import io.skillsd.skills.bank.SkillBank;
import io.skillsd.skills.bank.SkillBankSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skillsd skills}: inspect a run's skill bank. */
@Command(name = "skills", description = "Inspect the skill bank of a run.",
    subcommands = {SkillsCommand.Show.class})
final class SkillsCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (show)");
  }

  /**
   * {@code skillsd skills show runs/<id>}: the bank per task with its UCB statistics. The exploration constant
   * c comes from the run's {@code config.conf} unless {@code --exploration} is given.
   */
  @Command(name = "show", description = "Print a run's skill bank per task with UCB statistics.",
      footer = {"", "Example:", "  skillsd skills show runs/2026-11-25-sokoban"})
  static final class Show implements Callable<Integer> {
    /** Viewing never refuses a bank for holding more skills or longer fields than some setting allows. */
    private static final int VIEW_CAPACITY = 1_000_000;
    private static final int VIEW_MAX_FIELD_CHARS = 10_000_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN",
        description = "A run directory (its bank is RUN/skills/bank.json), or a directory holding bank.json.")
    Path run;

    @Option(names = "--exploration", paramLabel = "C",
        description = "UCB exploration constant c for the scores (default: the run's skillsd.skills.bank.exploration, else 1.0).")
    Double exploration;

    @Override
    public Integer call() {
      if (!Files.isDirectory(run)) {
        throw new UserError("no such run directory: " + run, 2);
      }
      Path bankDir = Files.isRegularFile(run.resolve("skills").resolve(SkillBank.FILE_NAME))
          ? run.resolve("skills") : run;
      if (!Files.isRegularFile(bankDir.resolve(SkillBank.FILE_NAME))) {
        throw new UserError(run + " has no skill bank (expected " + run.resolve("skills").resolve(SkillBank.FILE_NAME)
            + "; a run writes it once skills have been summarized)");
      }
      double c = exploration != null ? exploration : runExploration();
      SkillBank bank;
      try {
        // null: list the buffers as stored, whether per task or shared (skill-retrieval = similar)
        bank = SkillBank.restore(bankDir, new SkillBankSettings(VIEW_CAPACITY, c, VIEW_MAX_FIELD_CHARS), null);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), 2);
      } catch (IOException e) {
        throw new UserError("cannot read the skill bank: " + e.getMessage());
      }
      var out = spec.commandLine().getOut();
      out.printf("skill bank %s: %d task(s), %d skill(s), UCB c = %s%n", bankDir.resolve(SkillBank.FILE_NAME),
          bank.tasks().size(), bank.size(), c);
      out.print(BankListing.render(bank));
      out.flush();
      return 0;
    }

    private double runExploration() {
      Path config = run.resolve(RunDirectory.CONFIG_FILE);
      if (!Files.isRegularFile(config)) {
        return SkillBankSettings.DEFAULT_EXPLORATION;
      }
      try {
        Config c = SkillsdSettings.loadConfig(config, Map.of());
        return c.getDouble("skillsd.skills.bank.exploration");
      } catch (ConfigException | io.skillsd.actors.settings.SettingsException e) {
        throw new UserError("cannot read skillsd.skills.bank.exploration from " + config + ": " + e.getMessage()
            + " (give --exploration)");
      }
    }
  }
}
