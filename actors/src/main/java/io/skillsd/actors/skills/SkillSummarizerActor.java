package io.skillsd.actors.skills;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.environments.Trajectory;
import io.skillsd.skills.Skill;
import io.skillsd.skills.summarizer.SkillSummarizer;
import io.skillsd.skills.summarizer.SummaryContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns finished trajectories into skills, asynchronously and off the critical path: the coordinator
 * fires {@link Summarize} and never waits. A summarizer failure loses only that skill (counted and
 * logged). Runs on the I/O dispatcher.
 */
public final class SkillSummarizerActor extends AbstractBehavior<SkillSummarizerActor.Command> {

  public sealed interface Command permits Summarize, Done, GetCounts {}

  /** Summarize one finished trajectory; the skill, if any, goes to the bank. */
  public record Summarize(Trajectory trajectory, SummaryContext context) implements Command {}

  /** Ask for the counters. */
  public record GetCounts(ActorRef<Counts> replyTo) implements Command {}

  /** Requested, produced, dropped (no valid skill) and failed (exception) summaries so far. */
  public record Counts(long requested, long produced, long dropped, long failed) {}

  record Done(String trajectoryId, Optional<Skill> skill, Throwable failure) implements Command {}

  private final SkillSummarizer summarizer;
  private final ActorRef<SkillBankProtocol.Command> bank;
  private long requested;
  private long produced;
  private long dropped;
  private long failed;

  public static Behavior<Command> create(String runId, SkillSummarizer summarizer, ActorRef<SkillBankProtocol.Command> bank) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "summarizer"),
        Behaviors.setup(ctx -> new SkillSummarizerActor(ctx, summarizer, bank)));
  }

  private SkillSummarizerActor(ActorContext<Command> ctx, SkillSummarizer summarizer, ActorRef<SkillBankProtocol.Command> bank) {
    super(ctx);
    this.summarizer = summarizer;
    this.bank = bank;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Summarize.class, this::onSummarize)
        .onMessage(Done.class, this::onDone)
        .onMessage(GetCounts.class, g -> {
          g.replyTo().tell(new Counts(requested, produced, dropped, failed));
          return this;
        })
        .build();
  }

  private Behavior<Command> onSummarize(Summarize s) {
    requested++;
    CompletableFuture<Optional<Skill>> future;
    try {
      future = summarizer.summarize(s.trajectory(), s.context());
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    String id = s.context().trajectoryId();
    getContext().pipeToSelf(future, (skill, error) -> new Done(id, Optional.ofNullable(skill).flatMap(x -> x), error));
    return this;
  }

  private Behavior<Command> onDone(Done d) {
    if (d.failure() != null) {
      failed++;
      getContext().getLog().warn("summarizer {} failed on {}: {}", summarizer.name(), d.trajectoryId(), d.failure().toString());
    } else if (d.skill().isEmpty()) {
      dropped++;
    } else {
      produced++;
      bank.tell(new SkillBankProtocol.Add(d.skill().get()));
    }
    return this;
  }
}
