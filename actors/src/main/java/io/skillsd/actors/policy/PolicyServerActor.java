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
import io.skillsd.policies.generation.ContinuousBatch;
import io.skillsd.policies.generation.Generation;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Samples the student's replies with dynamic batching, one KV-cached forward pass per step for every request
 * in flight. Two schedules ({@link Batching}): continuous batching (the default), where a request joins the
 * running generation at its next step and leaves it as soon as its answer ends, and lockstep rounds, where
 * the waiting requests form one generation that runs until its longest answer ends. Runs on the compute
 * dispatcher. A restart loses nothing but the requests in flight, whose senders are episodes the coordinator
 * re-runs.
 */
public final class PolicyServerActor extends AbstractBehavior<Command> {

  private final TrainingModels models;
  private final int maxNewTokens;
  private final float topP;
  private final int maxBatch;
  private final boolean lockstep;
  private final boolean deterministic;
  private final Batching batching;
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
  /** Continuous batching: one running generation per network, created at first use. */
  private ContinuousBatch<Turn> studentBatch;
  private ContinuousBatch<Turn> teacherBatch;
  /** Continuous batching: episodes with a turn in a running generation. */
  private final java.util.Set<String> generating = new java.util.HashSet<>();
  /** Continuous batching: episodes that left while their turn was generating; their turn is dropped when it ends. */
  private final java.util.Set<String> left = new java.util.HashSet<>();
  private long steps;

  /** How requests share forward passes. */
  public enum Batching {
    /**
     * A request joins the running generation at the next forward step and leaves it when its answer ends: no
     * row waits for others' longer answers, and a dialogue's next turn starts while others are mid-answer. In
     * deterministic mode a step waits until every expected episode is generating or has its request waiting,
     * so a finished turn's next one joins at the very next step whatever the timing.
     */
    CONTINUOUS,
    /**
     * The waiting requests (deterministic: every expected episode's, in episode-id order) form one generation
     * that decodes until its longest answer ends; then the next round.
     */
    LOCKSTEP
  }

  /** A turn in a continuous batch: its request, and the weights version and rows of the step it joined at. */
  private record Turn(Generate request, long version, int rows) {}

  /**
   * @param maxBatch the largest batch; 1 turns batching off (one request at a time)
   * @param lockstep batch only when every expected episode has a request waiting, in episode-id order, so
   *     batch composition (and with it every sampled token) does not depend on timing: runs reproduce
   *     exactly and resume exactly. Otherwise whatever is waiting forms the batch.
   */
  public static Behavior<Command> create(String runId, TrainingModels models, int maxNewTokens, float topP, int maxBatch,
      boolean lockstep) {
    return create(runId, models, maxNewTokens, topP, maxBatch, lockstep, Batching.LOCKSTEP, 0);
  }

  /**
   * As above, with a schedule, and shared prompt prefixes of at least {@code prefixMinTokens} tokens computed
   * once per weights version and given to every new episode's first turn
   * ({@link io.skillsd.policies.generation.PrefixCache}); 0 turns that off.
   *
   * @param deterministic batch composition (and with it every sampled token) does not depend on timing, so runs
   *     reproduce and resume exactly; otherwise whatever is waiting joins
   */
  public static Behavior<Command> create(String runId, TrainingModels models, int maxNewTokens, float topP, int maxBatch,
      boolean deterministic, Batching batching, int prefixMinTokens) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "policy-server"),
        Behaviors.setup(ctx -> new PolicyServerActor(ctx, models, maxNewTokens, topP, maxBatch, deterministic,
            batching, prefixMinTokens)));
  }

  private PolicyServerActor(ActorContext<Command> ctx, TrainingModels models, int maxNewTokens, float topP, int maxBatch,
      boolean deterministic, Batching batching, int prefixMinTokens) {
    super(ctx);
    this.deterministic = deterministic;
    this.batching = maxBatch == 1 ? Batching.LOCKSTEP : batching; // one at a time: nothing to continue
    boolean lockstep = deterministic && this.batching == Batching.LOCKSTEP;
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
    if (studentBatch != null) {
      studentBatch.close();
      studentBatch = null;
    }
    if (teacherBatch != null) {
      teacherBatch.close();
      teacherBatch = null;
    }
    generating.clear();
    left.clear();
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
    if (generating.contains(l.episodeId())) {
      // Its session is the prior of a turn still generating: both are closed when the turn ends.
      left.add(l.episodeId());
      pending.removeIf(g -> g.episodeId().equals(l.episodeId()));
      return this;
    }
    io.skillsd.policies.model.KvCache.RowState state = sessions.remove(l.episodeId());
    if (state != null) {
      state.close();
    }
    pending.removeIf(g -> g.episodeId().equals(l.episodeId()));
    if (lockstep || batching == Batching.CONTINUOUS) {
      queueFlush();
    }
    return this;
  }

  private void queueFlush() {
    if (!flushQueued && (!pending.isEmpty() || !generating.isEmpty())) {
      getContext().getSelf().tell(PolicyServerProtocol.flush());
      flushQueued = true;
    }
  }

  /** In lockstep mode: is every expected episode waiting for a reply? */
  private boolean roundComplete() {
    return !lockstep || everyExpectedAsked();
  }

  /**
   * Whether every expected episode is generating (continuous batching) or has its request waiting: what a
   * deterministic server waits for before a lockstep round or a continuous step.
   */
  private boolean everyExpectedAsked() {
    java.util.Set<String> asked = new java.util.HashSet<>(generating);
    for (Generate g : pending) {
      asked.add(g.episodeId());
    }
    return asked.containsAll(expected);
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
    if (batching == Batching.CONTINUOUS) {
      return step();
    }
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

  /**
   * Continuous batching: one forward step of each network's running generation, after the waiting requests
   * join it (deterministic: only once every expected episode is generating or waiting, so that a turn whose
   * answer ended is followed by its episode's next one at the next step, or by its leaving).
   */
  private Behavior<Command> step() {
    if (deterministic && !everyExpectedAsked()) {
      return this; // a runner is between turns: its request (or its leave) queues the next step
    }
    if (!pending.isEmpty()) {
      pending.sort(java.util.Comparator.comparing(Generate::episodeId));
      List<Generate> joining = new ArrayList<>();
      int room = maxBatch - generating.size();
      for (java.util.Iterator<Generate> it = pending.iterator(); it.hasNext() && joining.size() < room; ) {
        joining.add(it.next());
        it.remove();
      }
      join(joining);
    }
    io.skillsd.policies.compute.GradMode.offOnThisThread();
    long start = System.nanoTime();
    int ended = 0;
    int rows = 0;
    for (ContinuousBatch<Turn> batch : java.util.Arrays.asList(studentBatch, teacherBatch)) {
      if (batch != null && !batch.idle()) {
        rows += batch.running() + batch.joining();
        List<ContinuousBatch.Finished<Turn>> finished = batch.step();
        ended += finished.size();
        finished.forEach(this::answer);
      }
    }
    steps++;
    if (ended > 0) {
      getContext().getLog().debug("step {}: {} rows, {} answers ended, {} µs", steps, rows, ended,
          (System.nanoTime() - start) / 1000);
    }
    queueFlush(); // after what arrived during this step
    return this;
  }

  /** Continuous batching: the requests join their network's running generation at its next step. */
  private void join(List<Generate> requests) {
    List<Generate> student = new ArrayList<>();
    List<Generate> teacher = new ArrayList<>();
    for (Generate g : accepted(requests)) {
      (g.teacher() ? teacher : student).add(g);
    }
    refreshPrefixes();
    if (!student.isEmpty()) {
      studentBatch = studentBatch != null ? studentBatch : new ContinuousBatch<>(models.studentNetwork(), true);
      join(student, studentBatch, models.studentNetwork(), studentPrefixes);
    }
    if (!teacher.isEmpty()) {
      teacherBatch = teacherBatch != null ? teacherBatch : new ContinuousBatch<>(models.teacher(), true);
      join(teacher, teacherBatch, models.teacher(), teacherPrefixes);
    }
  }

  private void join(List<Generate> requests, ContinuousBatch<Turn> batch, io.skillsd.policies.model.CausalLm network,
      io.skillsd.policies.generation.PrefixCache prefixes) {
    List<GenerationRequest> asked = requests(requests);
    List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> prior = priors(requests);
    if (prefixes != null) {
      // A prefix's state stays open until the step right after this join admits it: the prefixes are only
      // cleared before joins.
      prior = prefixes.priors(new Generator(network), asked, prior);
    }
    int rows = batch.running() + batch.joining() + requests.size();
    for (int i = 0; i < requests.size(); i++) {
      batch.join(new Turn(requests.get(i), models.version(), rows), asked.get(i), prior.get(i));
      generating.add(requests.get(i).episodeId());
    }
  }

  /** Continuous batching: a turn's answer ended; its cache becomes the episode's session, and the runner hears. */
  private void answer(ContinuousBatch.Finished<Turn> f) {
    Generate g = f.key().request();
    String id = g.episodeId();
    generating.remove(id);
    io.skillsd.policies.model.KvCache.RowState state = f.state().orElseThrow();
    if (left.remove(id)) {
      state.close();
      io.skillsd.policies.model.KvCache.RowState old = sessions.remove(id);
      if (old != null) {
        old.close();
      }
      return;
    }
    io.skillsd.policies.model.KvCache.RowState old = sessions.put(id, state);
    if (old != null) {
      old.close();
    }
    reply(g, f.generation(), f.key().version(), f.key().rows());
  }

  private void runBatch(List<Generate> mixed) {
    // Student and teacher rows sample different networks: one batch each.
    List<Generate> student = mixed.stream().filter(g -> !g.teacher()).toList();
    List<Generate> teacher = mixed.stream().filter(Generate::teacher).toList();
    refreshPrefixes();
    if (!student.isEmpty()) {
      runBatch(student, models.studentNetwork(), studentPrefixes);
    }
    if (!teacher.isEmpty()) {
      runBatch(teacher, models.teacher(), teacherPrefixes);
    }
  }

  /** New weights: the shared prefixes' keys and values are stale. */
  private void refreshPrefixes() {
    if (studentPrefixes != null && models.version() != prefixVersion) {
      studentPrefixes.clear();
      teacherPrefixes.clear();
      prefixVersion = models.version();
    }
  }

  /**
   * The requests that can be answered. A dialogue that already fills the context cannot be; its episode ends
   * (the runner reports it truncated) instead of failing the whole batch.
   */
  private List<Generate> accepted(List<Generate> requested) {
    int context = models.studentNetwork().config().maxPositionEmbeddings();
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
    return batch;
  }

  private List<GenerationRequest> requests(List<Generate> batch) {
    List<Integer> stops = models.format().stopTokens();
    List<GenerationRequest> requests = new ArrayList<>(batch.size());
    for (Generate g : batch) {
      requests.add(new GenerationRequest(g.transcript().tokens(),
          new SamplingParams(g.temperature(), topP, maxNewTokens, stops, g.seed())));
    }
    return requests;
  }

  /** Each request's episode's session: the keys and values of its dialogue so far. */
  private List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> priors(List<Generate> batch) {
    List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> prior = new ArrayList<>(batch.size());
    for (Generate g : batch) {
      prior.add(java.util.Optional.ofNullable(sessions.get(g.episodeId())));
    }
    return prior;
  }

  /** Sends {@code g}'s runner its sampled reply. */
  private void reply(Generate g, Generation gen, long version, int batchSize) {
    int[] sampled = gen.tokens();
    int end = models.format().endOfTurnId();
    int textLength = sampled.length > 0 && sampled[sampled.length - 1] == end ? sampled.length - 1 : sampled.length;
    String text = models.format().tokenizer().decode(Arrays.copyOf(sampled, textLength));
    g.replyTo().tell(new Generated(g.episodeId(), sampled, gen.logProbs(), text, version, batchSize, false));
  }

  private void runBatch(List<Generate> requested, io.skillsd.policies.model.CausalLm network,
      io.skillsd.policies.generation.PrefixCache prefixes) {
    List<Generate> batch = accepted(requested);
    if (batch.isEmpty()) {
      return;
    }
    io.skillsd.policies.compute.GradMode.offOnThisThread();
    List<GenerationRequest> requests = requests(batch);
    List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> prior = priors(batch);
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
    int tokens = 0;
    for (int i = 0; i < batch.size(); i++) {
      tokens += out.get(i).tokens().length;
      reply(batch.get(i), out.get(i), models.version(), batch.size());
    }
    getContext().getLog().debug("batch {} of {} requests: {} tokens in {} ms", batches, batch.size(), tokens, micros / 1000);
  }
}
