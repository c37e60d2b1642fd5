package io.skillsd.actors.skills;

import akka.actor.typed.ActorRef;
import io.skillsd.skills.Skill;
import io.skillsd.skills.bank.SkillSelection;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Messages of the {@link SkillBankActor}. */
public final class SkillBankProtocol {

  private SkillBankProtocol() {}

  public sealed interface Command permits Add, Select, RecordReward, Save, Stats {}

  /** Store a new skill in its task's buffer (duplicates and full buffers are handled by the bank). */
  public record Add(Skill skill) implements Command {}

  /** Choose one skill per task by UCB for this iteration's teacher. */
  public record Select(List<String> taskIds, ActorRef<Selected> replyTo) implements Command {
    public Select {
      taskIds = List.copyOf(taskIds);
    }
  }

  /** The chosen skill per task, in the order asked; empty where a task has no skill yet. */
  public record Selected(List<Optional<SkillSelection>> selections) {
    public Selected {
      selections = List.copyOf(selections);
    }
  }

  /** The student group's mean task reward in an iteration where {@code skillId} was the teacher's skill. */
  public record RecordReward(String taskId, String skillId, double reward) implements Command {}

  /** Persist the bank into {@code dir}. */
  public record Save(Path dir, ActorRef<BankStats> replyTo) implements Command {}

  /** Ask for the bank's size. */
  public record Stats(ActorRef<BankStats> replyTo) implements Command {}

  /** How many skills the bank holds, over how many tasks, and how many were added in total. */
  public record BankStats(int skills, int tasks, long added, long duplicates) {}
}
