package io.skillsd.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import java.util.Objects;

/**
 * Where the coordinator's episodes run when they do not run in its own JVM (cluster mode). Without a pool
 * the coordinator spawns episode runners next to itself; with one it sends each episode as a {@link Run}
 * and, after every learner update, asks the pool to {@link Publish} the new weights before the next
 * rollouts start.
 *
 * <p>A pool reports each run exactly once: {@link Done}, {@link Failed} (the episode's own failure, which
 * counts against its retries) or {@link Lost} (the node running it left; the coordinator re-runs it).
 */
public final class RolloutPool {

  private RolloutPool() {}

  /** Builds the pool's behavior for a run's models (the pool reads the student's weights to publish them). */
  @FunctionalInterface
  public interface Factory {
    Behavior<Command> create(TrainingModels models);
  }

  /** What a pool accepts: {@link Run}, {@link Publish}, and whatever messages the pool sends itself. */
  public interface Command {}

  /** Play {@code episode} somewhere and report to {@code replyTo}. */
  public record Run(Episode episode, ActorRef<Outcome> replyTo) implements Command {
    public Run {
      Objects.requireNonNull(episode, "episode");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * The learner has published weights {@code version}: bring every rollout node to it, then reply. Runs
   * sent after the reply are played with that version.
   */
  public record Publish(long version, ActorRef<Published> replyTo) implements Command {
    public Publish {
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Every node known when {@link Publish} arrived holds {@code version} (or has left). */
  public record Published(long version, int nodes, long bytes, long millis) {}

  /** How one {@link Run} ended. */
  public sealed interface Outcome permits Done, Failed, Lost {
    Episode episode();
  }

  /** The episode finished. */
  public record Done(EpisodeResult result) implements Outcome {
    @Override
    public Episode episode() {
      return result.episode();
    }
  }

  /** The episode failed where it ran. */
  public record Failed(Episode episode, String reason) implements Outcome {}

  /** The node that ran the episode left or became unreachable before it finished. */
  public record Lost(Episode episode, String node) implements Outcome {}
}
