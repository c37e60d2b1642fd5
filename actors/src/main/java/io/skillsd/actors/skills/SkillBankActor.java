package io.skillsd.actors.skills;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.actors.skills.SkillBankProtocol.Add;
import io.skillsd.actors.skills.SkillBankProtocol.BankStats;
import io.skillsd.actors.skills.SkillBankProtocol.Command;
import io.skillsd.actors.skills.SkillBankProtocol.RecordReward;
import io.skillsd.actors.skills.SkillBankProtocol.Save;
import io.skillsd.actors.skills.SkillBankProtocol.Select;
import io.skillsd.actors.skills.SkillBankProtocol.Selected;
import io.skillsd.actors.skills.SkillBankProtocol.Stats;
import io.skillsd.skills.bank.AddResult;
import io.skillsd.skills.bank.SkillBank;
import io.skillsd.skills.bank.SkillSelection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Owns the run's {@link SkillBank}: per-task buffers, UCB selection and reward statistics. It is the only
 * writer. A restart would lose skills added since the last save, so the coordinator saves it at every
 * checkpoint.
 */
public final class SkillBankActor extends AbstractBehavior<Command> {

  private final SkillBank bank;
  private long added;
  private long duplicates;

  public static Behavior<Command> create(String runId, SkillBank bank) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "skill-bank"),
        Behaviors.setup(ctx -> new SkillBankActor(ctx, bank)));
  }

  private SkillBankActor(ActorContext<Command> ctx, SkillBank bank) {
    super(ctx);
    this.bank = bank;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Add.class, this::onAdd)
        .onMessage(Select.class, this::onSelect)
        .onMessage(RecordReward.class, this::onRecordReward)
        .onMessage(Save.class, this::onSave)
        .onMessage(Stats.class, s -> {
          s.replyTo().tell(stats());
          return this;
        })
        .build();
  }

  private Behavior<Command> onAdd(Add a) {
    AddResult result = bank.add(a.skill());
    if (result instanceof AddResult.Duplicate) {
      duplicates++;
    } else if (result instanceof AddResult.Added || result instanceof AddResult.Replaced) {
      added++;
    }
    getContext().getLog().debug("skill for {}: {}", a.skill().provenance().taskId(), result);
    return this;
  }

  private Behavior<Command> onSelect(Select s) {
    List<Optional<SkillSelection>> out = new ArrayList<>(s.taskIds().size());
    for (String task : s.taskIds()) {
      Optional<SkillSelection> sel = bank.select(task);
      sel.ifPresent(x -> getContext().getLog().debug("task {}: skill {} (UCB {})", task, x.skillId(), x.score()));
      out.add(sel);
    }
    s.replyTo().tell(new Selected(out));
    return this;
  }

  private Behavior<Command> onRecordReward(RecordReward r) {
    bank.recordReward(r.taskId(), r.skillId(), r.reward());
    return this;
  }

  private Behavior<Command> onSave(Save s) {
    try {
      bank.save(s.dir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the skill bank to " + s.dir(), e);
    }
    s.replyTo().tell(stats());
    return this;
  }

  private BankStats stats() {
    return new BankStats(bank.size(), bank.tasks().size(), added, duplicates);
  }
}
