package io.skillsd.actors.serialization;

import akka.actor.typed.ActorRef;
import java.util.Objects;

/**
 * Liveness messages between skillsd nodes: a node answers {@link Ping} with {@link Pong} carrying what it
 * is, so a coordinator can tell a slow node from a dead one and check that both ends run the same build.
 */
public final class NodeProtocol {

  private NodeProtocol() {}

  /** What every message of this protocol is. */
  public sealed interface Command extends ClusterMessage permits Ping {}

  /** Asks a node for a {@link Pong}. */
  public record Ping(long sentAtMillis, ActorRef<Pong> replyTo) implements Command {
    public Ping {
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * The answer to a {@link Ping}.
   *
   * @param sentAtMillis echoed from the ping, to measure the round trip
   * @param role the node's cluster role
   * @param version the skillsd version the node runs
   * @param registrationTableHash a hash of {@link KryoRegistrations#table()}; nodes must agree on it
   */
  public record Pong(long sentAtMillis, String role, String version, int registrationTableHash) implements ClusterMessage {
    public Pong {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(version, "version");
    }
  }
}
