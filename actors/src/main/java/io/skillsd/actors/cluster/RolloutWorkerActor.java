package io.skillsd.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.Command;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.EpisodeDone;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.EpisodeFailed;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.RunEpisode;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsAck;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsApplied;
import io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsChunk;
import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.actors.rollout.EpisodeRunnerActor;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.environments.Environment;
import io.skillsd.policies.checkpoint.HostTensor;
import io.skillsd.policies.model.CausalLm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rollout role of a cluster node: its own copy of the student (kept in step with the learner by
 * {@link WeightsChunk}s), its own {@link PolicyServerActor} and one {@link EpisodeRunnerActor} per episode.
 * It answers each {@link RunEpisode} with {@link EpisodeDone} (the result names this node) or
 * {@link EpisodeFailed}.
 *
 * <p>Spawn it on {@code skillsd-compute-dispatcher}: the policy server samples on that one thread, so
 * weights are only ever replaced between two batches, never during one.
 */
public final class RolloutWorkerActor extends AbstractBehavior<Command> {

  /** Messages the worker sends itself. */
  sealed interface Internal extends Command permits Finished, RunnerStopped, LaunchPending {}

  private record Finished(EpisodeResult result) implements Internal {}

  private record RunnerStopped(String episodeId) implements Internal {}

  /** Starts every episode received since the last launch (see {@link #onRun}). */
  private record LaunchPending() implements Internal {}

  /** How episodes are played on this node. */
  public record Settings(int maxNewTokens, float topP, int maxBatch, boolean deterministic,
      PolicyServerActor.Batching batching, int maxTurns, int prefixCacheMinTokens) {
    public Settings {
      if (maxNewTokens < 1 || maxBatch < 1 || maxTurns < 1 || prefixCacheMinTokens < 0) {
        throw new IllegalArgumentException("maxNewTokens, maxBatch and maxTurns must be positive, the prefix cache's "
            + "minimum not negative");
      }
    }
  }

  private final TrainingModels models;
  private final Supplier<Environment> environments;
  private final Settings settings;
  private final String node;
  private final String runId;
  private final ActorRef<PolicyServerProtocol.Command> policy;
  private final ActorRef<EpisodeResult> finishedAdapter;
  private final Map<String, RunEpisode> running = new HashMap<>();
  /** Episodes received and not started yet: they start together, at the next {@link LaunchPending}. */
  private final List<Episode> toLaunch = new ArrayList<>();

  private long pendingVersion = -1;
  private int received;
  private final Map<String, HostTensor> pending = new LinkedHashMap<>();

  /**
   * @param node this node's address, recorded in every result
   */
  public static Behavior<Command> create(String runId, TrainingModels models, Supplier<Environment> environments,
      Settings settings, String node) {
    return create(runId, models, environments, settings, node, ctx -> ctx.spawn(PolicyServerActor.create(runId, models,
        settings.maxNewTokens(), settings.topP(), settings.maxBatch(), settings.deterministic(),
        settings.batching(), settings.prefixCacheMinTokens()), "policy-server", DispatcherSelector.fromConfig("skillsd-compute-dispatcher")));
  }

  /** As above, with the policy server {@code policyServer} starts (tests give a probe). */
  static Behavior<Command> create(String runId, TrainingModels models, Supplier<Environment> environments,
      Settings settings, String node,
      Function<ActorContext<Command>, ActorRef<PolicyServerProtocol.Command>> policyServer) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "rollout-worker"),
        Behaviors.setup(ctx -> new RolloutWorkerActor(ctx, runId, models, environments, settings, node,
            policyServer.apply(ctx))));
  }

  private RolloutWorkerActor(ActorContext<Command> ctx, String runId, TrainingModels models,
      Supplier<Environment> environments, Settings settings, String node,
      ActorRef<PolicyServerProtocol.Command> policy) {
    super(ctx);
    this.runId = runId;
    this.models = models;
    this.environments = environments;
    this.settings = settings;
    this.node = node;
    this.policy = policy;
    this.finishedAdapter = ctx.messageAdapter(EpisodeResult.class, Finished::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RunEpisode.class, this::onRun)
        .onMessage(WeightsChunk.class, this::onChunk)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(RunnerStopped.class, this::onRunnerStopped)
        .onMessage(LaunchPending.class, l -> onLaunch())
        .build();
  }

  /**
   * Episodes arrive one message each, usually several at once (the pool hands out a launch in a burst).
   * They start together at the next {@link LaunchPending}, which follows every message already in the
   * mailbox: the policy server's first batched step (or lockstep round) must not start with the first episode
   * alone because its runner asked before the others were announced.
   */
  private Behavior<Command> onRun(RunEpisode run) {
    Episode episode = run.episode();
    if (run.version() != models.version()) {
      getContext().getLog().warn("episode {} asks for weights version {}, this node holds {}", episode.episodeId(),
          run.version(), models.version());
    }
    if (running.containsKey(episode.episodeId())) {
      return this;
    }
    running.put(episode.episodeId(), run);
    if (toLaunch.isEmpty()) {
      getContext().getSelf().tell(new LaunchPending());
    }
    toLaunch.add(episode);
    return this;
  }

  private Behavior<Command> onLaunch() {
    List<Episode> episodes = List.copyOf(toLaunch);
    toLaunch.clear();
    EpisodeRunnerActor.launchAll(policy, episodes, episode -> {
      getContext().getLog().info("episode {} started on {} (weights version {})", episode.episodeId(), node,
          models.version());
      EpisodeRunnerActor.spawnWatched(getContext(), EpisodeRunnerActor.create(runId, episode, environments,
          models.format(), policy, settings.maxTurns(), finishedAdapter), episode.episodeId(),
          new RunnerStopped(episode.episodeId()));
    });
    return this;
  }

  private Behavior<Command> onFinished(Finished f) {
    RunEpisode run = running.remove(f.result().episode().episodeId());
    if (run != null) {
      run.replyTo().tell(new EpisodeDone(getContext().getSelf(), f.result().withNode(node)));
    }
    return this;
  }

  private Behavior<Command> onRunnerStopped(RunnerStopped s) {
    RunEpisode run = running.remove(s.episodeId());
    if (run != null) { // stopped without a result: its environment or runner failed
      policy.tell(new PolicyServerProtocol.Leave(s.episodeId()));
      run.replyTo().tell(new EpisodeFailed(getContext().getSelf(), run.episode(), "the episode runner failed on " + node));
    }
    return this;
  }

  private Behavior<Command> onChunk(WeightsChunk c) {
    if (c.version() != pendingVersion) {
      pendingVersion = c.version();
      received = 0;
      pending.clear();
    }
    HostTensor tensor = pending.computeIfAbsent(c.name(),
        n -> new HostTensor(c.shape(), new float[Math.toIntExact(HostTensor.numel(c.shape()))]));
    System.arraycopy(c.data(), 0, tensor.data(), c.offset(), c.data().length);
    received++;
    if (received < c.count()) {
      if (received % ClusterRolloutPool.ACK_EVERY == 0) {
        c.replyTo().tell(new WeightsAck(getContext().getSelf(), c.version(), received));
      }
      return this;
    }
    long t0 = System.nanoTime();
    CausalLm network = models.studentNetwork();
    try (CausalLm update = CausalLm.fromTensors(network.config(), pending, network.device())) {
      network.copyFrom(update);
    }
    models.setVersion(c.version());
    pending.clear();
    pendingVersion = -1;
    long millis = (System.nanoTime() - t0) / 1_000_000;
    getContext().getLog().info("weights version {} applied on {} ({} chunks, {} ms)", c.version(), node, c.count(), millis);
    c.replyTo().tell(new WeightsApplied(getContext().getSelf(), c.version(), millis));
    return this;
  }
}
