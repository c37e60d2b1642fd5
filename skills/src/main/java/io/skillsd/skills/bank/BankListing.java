package io.skillsd.skills.bank;

import java.util.Locale;

/**
 * The bank as text, per task, with its UCB statistics: what {@code ./skillsd skills show} prints.
 *
 * <pre>
 * task sokoban/skill-sd/train/001: 2 skills, N = 3 selections
 *   id                   n  rewards   mean r       UCB  source
 *   3fa2c1d09e8b7a66     2        2    0.450     1.191  analyst, trajectory it3/g2, weights v3, reward 0.50
 *     workflow: 1. Right ×2. 2. Down, which solves the task.
 * </pre>
 *
 * <p>A buffer shared by several tasks ({@code skillsd.train.skill-retrieval = similar}) is listed under its key,
 * and each skill's source names the task it was learned on.
 */
public final class BankListing {

  private static final int MAX_WORKFLOW_CHARS = 160;

  private BankListing() {}

  /** Every task of {@code bank}, in id order; {@code (empty bank)} when it holds nothing. */
  public static String render(SkillBank bank) {
    StringBuilder out = new StringBuilder();
    double c = bank.settings().exploration();
    for (String task : bank.tasks()) {
      var skills = bank.skills(task);
      long n = bank.taskSelections(task);
      out.append(String.format(Locale.ROOT, "task %s: %d skill%s, N = %d selection%s%n", task, skills.size(),
          skills.size() == 1 ? "" : "s", n, n == 1 ? "" : "s"));
      out.append(String.format(Locale.ROOT, "  %-16s %6s %8s %8s %9s  %s%n", "id", "n", "rewards", "mean r", "UCB",
          "source"));
      for (SkillStats s : skills) {
        var p = s.skill().provenance();
        String ucb = s.untried() ? "untried" : String.format(Locale.ROOT, "%.3f", s.ucb(n, c));
        // a shared buffer (skill-retrieval = similar) holds skills of several tasks: name each one's
        String from = p.taskId().equals(task) ? "" : "task " + p.taskId() + ", ";
        out.append(String.format(Locale.ROOT, "  %-16s %6d %8d %8.3f %9s  %s, %strajectory %s, weights v%d, reward %.2f%n",
            s.id(), s.selections(), s.rewards(), s.meanReward(), ucb, p.summarizer(), from, p.trajectoryId(),
            p.weightsVersion(), p.reward()));
        String workflow = s.skill().goldenWorkflow().replaceAll("\\s+", " ");
        if (workflow.length() > MAX_WORKFLOW_CHARS) {
          workflow = workflow.substring(0, MAX_WORKFLOW_CHARS) + "…";
        }
        out.append("    workflow: ").append(workflow).append('\n');
      }
    }
    return out.length() == 0 ? "(empty bank)\n" : out.toString();
  }
}
