package io.skillsd.actors.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.EpisodeDone;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.EpisodeFailed;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.Reply;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.RunEpisode;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsAck;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsApplied;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsChunk;
import io.skillsd.actors.coordinator.RolloutPool;
import io.skillsd.actors.coordinator.RolloutPool.Command;
import io.skillsd.actors.coordinator.RolloutPool.Publish;
import io.skillsd.actors.coordinator.RolloutPool.Run;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.policies.checkpoint.HostTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The learner node's {@link RolloutPool}: finds rollout workers through the Receptionist, brings each to the
 * current weights (chunked, versioned, with a window of unacknowledged chunks so Artery's send queue never
 * overflows), and hands each episode to the ready worker with the fewest episodes in flight (ties go round
 * the workers in turn).
 *
 * <p>A worker that leaves the listing, becomes unreachable or stops loses its in-flight episodes: each is
 * reported {@link RolloutPool.Lost} exactly once, and a late result from it is ignored. A worker that joins
 * mid-run first receives the current weights, then work.
 *
 * <p>Spawn it on {@code skillsd-compute-dispatcher}: it reads the student's weights when it publishes them,
 * which must not overlap an update.
 */
public final class ClusterRolloutPool extends AbstractBehavior<Command> {

  /** A worker acknowledges every this many chunks. */
  static final int ACK_EVERY = 16;
  /** The most chunks in flight (sent, not acknowledged) to one worker. */
  static final int WINDOW = 64;

  private record ListingChanged(Receptionist.Listing listing) implements Command {}

  private record WorkerReplied(Reply reply) implements Command {}

  private record WorkerStopped(ActorRef<RolloutWorkerProtocol.Command> worker) implements Command {}

  private record Unreachable(ClusterEvent.UnreachableMember event) implements Command {}

  private record Chunk(String name, long[] shape, int offset, float[] data) {}

  private static final class Worker {
    final ActorRef<RolloutWorkerProtocol.Command> ref;
    final String node;
    final Map<String, Run> inFlight = new LinkedHashMap<>();
    long applied = -1;
    long sending = -1;
    int sent;
    int acked;

    Worker(ActorRef<RolloutWorkerProtocol.Command> ref) {
      this.ref = ref;
      Address a = ref.path().address();
      this.node = a.host().isDefined() ? a.host().get() + ":" + a.port().get() : a.toString();
    }
  }

  private record PendingPublish(long version, ActorRef<RolloutPool.Published> replyTo, long startNanos,
      Set<ActorRef<RolloutWorkerProtocol.Command>> waiting, int nodes) {}

  private final TrainingModels models;
  private final ActorRef<Reply> replyAdapter;
  private final Map<ActorRef<RolloutWorkerProtocol.Command>, Worker> workers = new LinkedHashMap<>();
  private final ArrayDeque<Run> queue = new ArrayDeque<>();
  private long version = -1;
  private List<Chunk> chunks = List.of();
  private long bytes;
  private Optional<PendingPublish> publishing = Optional.empty();
  private int turn;

  public static Behavior<Command> create(TrainingModels models) {
    return Behaviors.setup(ctx -> new ClusterRolloutPool(ctx, models));
  }

  private ClusterRolloutPool(ActorContext<Command> ctx, TrainingModels models) {
    super(ctx);
    this.models = models;
    this.replyAdapter = ctx.messageAdapter(Reply.class, WorkerReplied::new);
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(RolloutWorkerProtocol.SERVICE_KEY,
        ctx.messageAdapter(Receptionist.Listing.class, ListingChanged::new)));
    if ("cluster".equals(ctx.getSystem().settings().config().getString("akka.actor.provider"))) {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.UnreachableMember.class, Unreachable::new), ClusterEvent.UnreachableMember.class));
    }
    snapshot(models.version());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(Publish.class, this::onPublish)
        .onMessage(ListingChanged.class, this::onListing)
        .onMessage(WorkerReplied.class, this::onReply)
        .onMessage(WorkerStopped.class, s -> lose(s.worker(), "stopped"))
        .onMessage(Unreachable.class, this::onUnreachable)
        .build();
  }

  // ---- weights -----------------------------------------------------------------------------------------

  private void snapshot(long newVersion) {
    List<Chunk> out = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, HostTensor> e : models.studentNetwork().toHost().entrySet()) {
      float[] data = e.getValue().data();
      int off = 0;
      do { // at least one chunk per tensor, so an empty tensor arrives too
        int len = Math.min(RolloutWorkerProtocol.MAX_CHUNK_FLOATS, data.length - off);
        out.add(new Chunk(e.getKey(), e.getValue().shape(), off, java.util.Arrays.copyOfRange(data, off, off + len)));
        total += 4L * len;
        off += len;
      } while (off < data.length);
    }
    chunks = List.copyOf(out);
    bytes = total;
    version = newVersion;
    for (Worker w : workers.values()) {
      startSending(w);
    }
  }

  private void startSending(Worker w) {
    w.sending = version;
    w.sent = 0;
    w.acked = 0;
    pump(w);
  }

  private void pump(Worker w) {
    while (w.sending == version && w.sent < chunks.size() && w.sent - w.acked < WINDOW) {
      Chunk c = chunks.get(w.sent);
      w.ref.tell(new WeightsChunk(version, w.sent, chunks.size(), c.name(), c.shape(), c.offset(), c.data(), replyAdapter));
      w.sent++;
    }
  }

  private boolean ready(Worker w) {
    return w.applied == version;
  }

  private Behavior<Command> onPublish(Publish p) {
    if (p.version() != version) {
      snapshot(p.version());
    }
    Set<ActorRef<RolloutWorkerProtocol.Command>> waiting = new HashSet<>();
    for (Worker w : workers.values()) {
      if (!ready(w)) {
        waiting.add(w.ref);
      }
    }
    publishing = Optional.of(new PendingPublish(version, p.replyTo(), System.nanoTime(), waiting, workers.size()));
    checkPublished();
    return this;
  }

  private void checkPublished() {
    publishing.ifPresent(p -> {
      p.waiting().removeIf(ref -> !workers.containsKey(ref) || ready(workers.get(ref)));
      if (p.waiting().isEmpty()) {
        long millis = (System.nanoTime() - p.startNanos()) / 1_000_000;
        getContext().getLog().info("weights version {} ({} bytes in {} chunks) on {} rollout nodes in {} ms",
            p.version(), bytes, chunks.size(), p.nodes(), millis);
        p.replyTo().tell(new RolloutPool.Published(p.version(), p.nodes(), bytes, millis));
        publishing = Optional.empty();
      }
    });
  }

  // ---- workers -----------------------------------------------------------------------------------------

  private Behavior<Command> onListing(ListingChanged l) {
    Set<ActorRef<RolloutWorkerProtocol.Command>> listed = l.listing().getServiceInstances(RolloutWorkerProtocol.SERVICE_KEY);
    for (ActorRef<RolloutWorkerProtocol.Command> ref : listed) {
      if (!workers.containsKey(ref)) {
        Worker w = new Worker(ref);
        workers.put(ref, w);
        getContext().watchWith(ref, new WorkerStopped(ref));
        getContext().getLog().info("rollout node {} joined ({} now); sending it weights version {}", w.node,
            workers.size(), version);
        startSending(w);
      }
    }
    for (ActorRef<RolloutWorkerProtocol.Command> ref : List.copyOf(workers.keySet())) {
      if (!listed.contains(ref)) {
        lose(ref, "left the listing");
      }
    }
    return this;
  }

  private Behavior<Command> onUnreachable(Unreachable u) {
    Address address = u.event().member().address();
    for (ActorRef<RolloutWorkerProtocol.Command> ref : List.copyOf(workers.keySet())) {
      if (ref.path().address().equals(address)) {
        lose(ref, "is unreachable");
      }
    }
    return this;
  }

  private Behavior<Command> lose(ActorRef<RolloutWorkerProtocol.Command> ref, String why) {
    Worker w = workers.remove(ref);
    if (w == null) {
      return this;
    }
    getContext().unwatch(ref);
    getContext().getLog().warn("rollout node {} {}: {} episodes in flight are run again elsewhere ({} nodes left)",
        w.node, why, w.inFlight.size(), workers.size());
    for (Run run : w.inFlight.values()) {
      run.replyTo().tell(new RolloutPool.Lost(run.episode(), w.node));
    }
    w.inFlight.clear();
    checkPublished();
    return this;
  }

  // ---- episodes ----------------------------------------------------------------------------------------

  private Behavior<Command> onRun(Run run) {
    if (publishing.isEmpty() && models.version() != version) {
      snapshot(models.version()); // e.g. a resumed run: its first rollouts use the checkpoint's weights
    }
    queue.add(run);
    drain();
    return this;
  }

  private void drain() {
    while (!queue.isEmpty()) {
      Optional<Worker> target = pick();
      if (target.isEmpty()) {
        return;
      }
      Run run = queue.poll();
      Worker w = target.get();
      w.inFlight.put(run.episode().episodeId(), run);
      w.ref.tell(new RunEpisode(run.episode(), version, replyAdapter));
    }
  }

  /** The ready worker with the fewest episodes in flight; ties are taken in turn. */
  private Optional<Worker> pick() {
    List<Worker> all = new ArrayList<>(workers.values());
    Worker best = null;
    for (int i = 0; i < all.size(); i++) {
      Worker w = all.get((turn + i) % all.size());
      if (ready(w) && (best == null || w.inFlight.size() < best.inFlight.size())) {
        best = w;
      }
    }
    if (best != null) {
      turn++;
    }
    return Optional.ofNullable(best);
  }

  private Behavior<Command> onReply(WorkerReplied r) {
    Reply reply = r.reply();
    if (reply instanceof EpisodeDone d) {
      Worker w = workers.get(d.worker());
      Run run = w == null ? null : w.inFlight.remove(d.result().episode().episodeId());
      if (run != null) {
        run.replyTo().tell(new RolloutPool.Done(d.result()));
        drain();
      }
    } else if (reply instanceof EpisodeFailed f) {
      Worker w = workers.get(f.worker());
      Run run = w == null ? null : w.inFlight.remove(f.episode().episodeId());
      if (run != null) {
        run.replyTo().tell(new RolloutPool.Failed(f.episode(), f.reason()));
        drain();
      }
    } else if (reply instanceof WeightsAck a) {
      Worker w = workers.get(a.worker());
      if (w != null && a.version() == w.sending) {
        w.acked = Math.max(w.acked, a.received());
        pump(w);
      }
    } else if (reply instanceof WeightsApplied a) {
      Worker w = workers.get(a.worker());
      if (w != null) {
        w.applied = a.version();
        if (ready(w)) {
          getContext().getLog().debug("rollout node {} holds weights version {}", w.node, version);
          drain();
        }
        checkPublished();
      }
    }
    return this;
  }
}
