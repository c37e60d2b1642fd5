package io.skillsd.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.ServiceKey;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.actors.serialization.ClusterMessage;
import java.util.Objects;

/**
 * What the learner node and a rollout node say to each other. A rollout worker registers under
 * {@link #SERVICE_KEY} with the Receptionist; the learner's {@link ClusterRolloutPool} sends it the
 * student's weights (in chunks, versioned) and episodes to play, and the worker answers with results.
 *
 * <p>Every message crosses a process boundary and is written by Kryo from the fixed id table.
 */
public final class RolloutWorkerProtocol {

  private RolloutWorkerProtocol() {}

  /** The Receptionist key every rollout worker registers under. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "skillsd-rollout-worker");

  /**
   * The most floats one {@link WeightsChunk} carries: 60 000 floats are 240 000 bytes, below Artery's
   * default maximum frame size of 256 KiB with room for the message's other fields.
   */
  public static final int MAX_CHUNK_FLOATS = 60_000;

  /** What a worker accepts: the two requests below and the worker's own internal messages. */
  public sealed interface Command permits RunEpisode, WeightsChunk, RolloutWorkerActor.Internal {}

  /** What a worker answers. */
  public sealed interface Reply extends ClusterMessage permits EpisodeDone, EpisodeFailed, WeightsAck, WeightsApplied {}

  /**
   * Play {@code episode} with the weights of {@code version} (which the worker has applied before).
   */
  public record RunEpisode(Episode episode, long version, ActorRef<Reply> replyTo) implements Command, ClusterMessage {
    public RunEpisode {
      Objects.requireNonNull(episode, "episode");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * One piece of the student's weights of {@code version}: elements {@code [offset, offset + data.length)} of
   * tensor {@code name} (of shape {@code shape}). A version is complete when all {@code count} chunks,
   * numbered {@code 0 .. count-1}, have arrived.
   */
  public record WeightsChunk(long version, int index, int count, String name, long[] shape, int offset, float[] data,
      ActorRef<Reply> replyTo) implements Command, ClusterMessage {
    public WeightsChunk {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(replyTo, "replyTo");
      if (count < 1 || index < 0 || index >= count) {
        throw new IllegalArgumentException("chunk " + index + " of " + count);
      }
      if (offset < 0 || data.length > MAX_CHUNK_FLOATS) {
        throw new IllegalArgumentException("offset " + offset + " with " + data.length + " floats");
      }
    }
  }

  /** An episode finished on {@code worker}; the result names the node it ran on. */
  public record EpisodeDone(ActorRef<Command> worker, EpisodeResult result) implements Reply {
    public EpisodeDone {
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(result, "result");
    }
  }

  /** The episode's runner failed on {@code worker} (its environment threw). */
  public record EpisodeFailed(ActorRef<Command> worker, Episode episode, String reason) implements Reply {
    public EpisodeFailed {
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(episode, "episode");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Flow control: {@code worker} holds the first {@code received} chunks of {@code version}. */
  public record WeightsAck(ActorRef<Command> worker, long version, int received) implements Reply {
    public WeightsAck {
      Objects.requireNonNull(worker, "worker");
    }
  }

  /** {@code worker} now samples with the weights of {@code version}. */
  public record WeightsApplied(ActorRef<Command> worker, long version, long applyMillis) implements Reply {
    public WeightsApplied {
      Objects.requireNonNull(worker, "worker");
    }
  }
}
