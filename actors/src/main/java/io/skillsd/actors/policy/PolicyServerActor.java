package io.skillsd.actors.policy;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.policy.PolicyServerProtocol.Command;
import io.skillsd.actors.policy.PolicyServerProtocol.Flush;
import io.skillsd.actors.policy.PolicyServerProtocol.Generate;
import io.skillsd.actors.policy.PolicyServerProtocol.Generated;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.policies.generation.Generation;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Samples the student's replies with dynamic batching: every {@link Generate} that is waiting when the
 * server gets to run joins one batched, KV-cached generation (one forward per decode step for the whole
 * batch). Runs on the compute dispatcher. A restart loses nothing but the batch in flight, whose senders
 * are episodes the coordinator re-runs.
 */
public final class PolicyServerActor extends AbstractBehavior<Command> {

  private final TrainingModels models;
  private final int maxNewTokens;
  private final float topP;
  private final int maxBatch;
  private final boolean lockstep;
  private final java.util.Set<String> expected = new java.util.HashSet<>();
  private final List<Generate> pending = new ArrayList<>();
  private boolean warnedContextFull;
  /** Per running episode, the keys and values of its dialogue so far: each turn computes only its new tokens. */
  private final Map<String, io.skillsd.policies.model.KvCache.RowState> sessions = new java.util.HashMap<>();
  private boolean flushQueued;
  private long batches;
  /** Shared prompt prefixes per network, for the weights version {@link #prefixVersion}; null when off. */
  private final io.skillsd.policies.generation.PrefixCache studentPrefixes;
  private final io.skillsd.policies.generation.PrefixCache teacherPrefixes;
  private long prefixVersion = Long.MIN_VALUE;

  /**
   * @param maxBatch the largest batch; 1 turns batching off (one request at a time)
   * @param lockstep batch only when every expected episode has a request waiting, in episode-id order, so
   *     batch composition (and with it every sampled token) does not depend on timing: runs reproduce
   *     exactly and resume exactly. Otherwise whatever is waiting forms the batch.
   */
  public static Behavior<Command> create(String runId, TrainingModels models, int maxNewTokens, float topP, int maxBatch,
      boolean lockstep) {
    return create(runId, models, maxNewTokens, topP, maxBatch, lockstep, 0);
  }

  /**
   * As above, with shared prompt prefixes of at least {@code prefixMinTokens} tokens computed once per weights
   * version and given to every new episode's first turn ({@link io.skillsd.policies.generation.PrefixCache});
   * 0 turns that off.
   */
  public static Behavior<Command> create(String runId, TrainingModels models, int maxNewTokens, float topP, int maxBatch,
      boolean lockstep, int prefixMinTokens) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "policy-server"),
        Behaviors.setup(ctx -> new PolicyServerActor(ctx, models, maxNewTokens, topP, maxBatch, lockstep,
            prefixMinTokens)));
  }

  private PolicyServerActor(ActorContext<Command> ctx, TrainingModels models, int maxNewTokens, float topP, int maxBatch,
      boolean lockstep, int prefixMinTokens) {
    super(ctx);
    this.studentPrefixes = prefixMinTokens > 0 ? new io.skillsd.policies.generation.PrefixCache(prefixMinTokens, 8) : null;
    this.teacherPrefixes = prefixMinTokens > 0 ? new io.skillsd.policies.generation.PrefixCache(prefixMinTokens, 8) : null;
    this.lockstep = lockstep;
    this.models = models;
    this.maxNewTokens = maxNewTokens;
    this.topP = topP;
    this.maxBatch = maxBatch;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Generate.class, this::onGenerate)
        .onMessage(PolicyServerProtocol.Expect.class, e -> {
          expected.add(e.episodeId());
          return this;
        })
        .onMessage(PolicyServerProtocol.Leave.class, this::onLeave)
        .onMessage(Flush.class, f -> onFlush())
        .onSignal(akka.actor.typed.PostStop.class, s -> releaseNativeState())
        .onSignal(akka.actor.typed.PreRestart.class, s -> releaseNativeState())
        .build();
  }

  /** Frees the sessions' and prefixes' keys and values (native memory) when the actor stops or restarts. */
  private Behavior<Command> releaseNativeState() {
    sessions.values().forEach(io.skillsd.policies.model.KvCache.RowState::close);
    sessions.clear();
    if (studentPrefixes != null) {
      studentPrefixes.close();
      teacherPrefixes.close();
    }
    return this;
  }

  private Behavior<Command> onLeave(PolicyServerProtocol.Leave l) {
    expected.remove(l.episodeId());
    io.skillsd.policies.model.KvCache.RowState state = sessions.remove(l.episodeId());
    if (state != null) {
      state.close();
    }
    pending.removeIf(g -> g.episodeId().equals(l.episodeId()));
    if (lockstep) {
      queueFlush();
    }
    return this;
  }

  private void queueFlush() {
    if (!flushQueued && !pending.isEmpty()) {
      getContext().getSelf().tell(PolicyServerProtocol.flush());
      flushQueued = true;
    }
  }

  /** In lockstep mode: is every expected episode waiting for a reply? */
  private boolean roundComplete() {
    if (!lockstep) {
      return true;
    }
    java.util.Set<String> waiting = new java.util.HashSet<>();
    for (Generate g : pending) {
      waiting.add(g.episodeId());
    }
    return waiting.containsAll(expected);
  }

  private Behavior<Command> onGenerate(Generate g) {
    pending.add(g);
    if (!flushQueued) {
      // Everything already in the mailbox arrives before this Flush, and joins the batch.
      getContext().getSelf().tell(PolicyServerProtocol.flush());
      flushQueued = true;
    }
    return this;
  }

  private Behavior<Command> onFlush() {
    flushQueued = false;
    if (pending.isEmpty() || !roundComplete()) {
      return this;
    }
    if (lockstep) {
      // The whole round, in episode-id order, in chunks of at most maxBatch.
      pending.sort(java.util.Comparator.comparing(Generate::episodeId));
      List<Generate> round = new ArrayList<>(pending);
      pending.clear();
      for (int from = 0; from < round.size(); from += maxBatch) {
        runBatch(round.subList(from, Math.min(round.size(), from + maxBatch)));
      }
      return this;
    }
    List<Generate> batch = new ArrayList<>(pending.subList(0, Math.min(maxBatch, pending.size())));
    pending.subList(0, batch.size()).clear();
    queueFlush();
    runBatch(batch);
    return this;
  }

  private void runBatch(List<Generate> mixed) {
    // Student and teacher rows sample different networks: one batch each.
    List<Generate> student = mixed.stream().filter(g -> !g.teacher()).toList();
    List<Generate> teacher = mixed.stream().filter(Generate::teacher).toList();
    if (studentPrefixes != null && models.version() != prefixVersion) {
      studentPrefixes.clear(); // new weights: the shared prefixes' keys and values are stale
      teacherPrefixes.clear();
      prefixVersion = models.version();
    }
    if (!student.isEmpty()) {
      runBatch(student, models.studentNetwork(), studentPrefixes);
    }
    if (!teacher.isEmpty()) {
      runBatch(teacher, models.teacher(), teacherPrefixes);
    }
  }

  private void runBatch(List<Generate> requested, io.skillsd.policies.model.CausalLm network,
      io.skillsd.policies.generation.PrefixCache prefixes) {
    // A dialogue that already fills the context cannot be answered; its episode ends (the runner reports it
    // truncated) instead of failing the whole batch.
    int context = network.config().maxPositionEmbeddings();
    List<Generate> batch = new ArrayList<>(requested.size());
    for (Generate g : requested) {
      if (g.transcript().length() >= context) {
        if (!warnedContextFull) { // then counted per iteration (context_full in metrics.jsonl)
          warnedContextFull = true;
          getContext().getLog().warn("episode {}: its dialogue of {} tokens fills the model's context of {}; it ends "
              + "there (such episodes are counted as context_full in metrics.jsonl; this is logged once)",
              g.episodeId(), g.transcript().length(), context);
        }
        g.replyTo().tell(Generated.contextFull(g.episodeId(), models.version()));
      } else {
        batch.add(g);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    io.skillsd.policies.compute.GradMode.offOnThisThread();
    List<Integer> stops = models.format().stopTokens();
    List<GenerationRequest> requests = new ArrayList<>(batch.size());
    for (Generate g : batch) {
      float temperature = g.temperature();
      requests.add(new GenerationRequest(g.transcript().tokens(),
          new SamplingParams(temperature, topP, maxNewTokens, stops, g.seed())));
    }
    List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> prior = new ArrayList<>(batch.size());
    for (Generate g : batch) {
      prior.add(java.util.Optional.ofNullable(sessions.get(g.episodeId())));
    }
    long start = System.nanoTime();
    Generator generator = new Generator(network);
    if (prefixes != null) {
      prior = prefixes.priors(generator, requests, prior);
    }
    Generator.SessionResult result = generator.generate(requests, prior, true);
    List<Generation> out = result.generations();
    for (int i = 0; i < batch.size(); i++) {
      io.skillsd.policies.model.KvCache.RowState old = sessions.put(batch.get(i).episodeId(), result.states().get(i).orElseThrow());
      if (old != null) {
        old.close();
      }
    }
    long micros = (System.nanoTime() - start) / 1000;
    batches++;
    int end = models.format().endOfTurnId();
    int tokens = 0;
    for (int i = 0; i < batch.size(); i++) {
      Generation gen = out.get(i);
      int[] sampled = gen.tokens();
      tokens += sampled.length;
      int textLength = sampled.length > 0 && sampled[sampled.length - 1] == end ? sampled.length - 1 : sampled.length;
      String text = models.format().tokenizer().decode(Arrays.copyOf(sampled, textLength));
      Generate g = batch.get(i);
      g.replyTo().tell(new Generated(g.episodeId(), sampled, gen.logProbs(), text, models.version(), batch.size(), false));
    }
    getContext().getLog().debug("batch {} of {} requests: {} tokens in {} ms", batches, batch.size(), tokens, micros / 1000);
  }
}
