package io.skillsd.actors.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.actors.rollout.EpisodeRunnerActor;
import io.skillsd.environments.Environment;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.policies.compute.GradMode;
import io.skillsd.policies.generation.ContinuousBatch;
import io.skillsd.policies.generation.Generation;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import io.skillsd.policies.prompt.ChatFormat;
import io.skillsd.policies.prompt.StudentPrompt;
import io.skillsd.policies.prompt.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Rollout throughput of {@code slots} concurrent episodes, three ways over the same components: the actor
 * runtime with dynamic batching, the actor runtime with one request at a time, and a plain loop (no actors)
 * that batches every running episode's turn into one generation call.
 *
 * <p>A measurement plays {@code slots × perSlot} episodes. Each slot plays its episodes back to back: when
 * one ends, the slot's next one starts and joins the following round. So {@code slots} episodes are in
 * flight until the slots run out of episodes, and only the last of them play out with fewer alongside;
 * with {@code perSlot} = 1 the measurement is one launch of {@code slots} episodes played to their end, in
 * which the batch shrinks as episodes finish. Slot {@code j} plays episodes {@code j, j + slots, …}, and a
 * round's requests go in episode order in every mode, so the batched modes see the same rounds.
 */
public final class RolloutBench implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RolloutBench.class);

  /** The three modes' names, as measurements report them. */
  public static final String BATCHED = "actors, dynamic batching";
  public static final String ONE_AT_A_TIME = "actors, one request at a time";
  public static final String PLAIN = "plain loop, batched";

  /** One measurement: wall time and what was produced. */
  public record Measurement(String mode, int episodes, double seconds, long sampledTokens, long turns) {
    public double tokensPerSecond() {
      return sampledTokens / seconds;
    }

    public double turnsPerSecond() {
      return turns / seconds;
    }
  }

  private final TrainingModels models;
  private final Supplier<Environment> environments;
  private final Config config;
  private final int maxNewTokens;
  private final int prefixMinTokens;
  private final float temperature = 1f;
  private final PolicyServerActor.Batching batching;
  /** One actor system for every actor measurement, so each one runs on the same, warm compute thread. */
  private ActorSystem<SpawnProtocol.Command> system;
  private int runs;

  /**
   * @param prefixMinTokens the shared-prefix cache's shortest prefix ({@code skillsd.train.prefix-cache-min-tokens});
   *     0 = off. Every mode uses the same setting.
   */
  public RolloutBench(TrainingModels models, Supplier<Environment> environments, Config config, int maxNewTokens,
      int prefixMinTokens, PolicyServerActor.Batching batching) {
    this.models = models;
    this.batching = batching;
    this.prefixMinTokens = prefixMinTokens;
    this.environments = environments;
    this.config = config;
    this.maxNewTokens = maxNewTokens;
  }

  /** Episodes 0..n-1; their ids sort as their numbers do (lockstep rounds go in id order). */
  private List<Episode> episodes(int n, long seed) {
    List<Task> tasks = environments.get().tasks().train();
    String id = "bench-%0" + Math.max(3, Integer.toString(n - 1).length()) + "d";
    List<Episode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Episode.student(String.format(id, i), tasks.get(i % tasks.size()), 0, i, 0, false, temperature,
          seed + i));
    }
    return out;
  }

  private static void checkWorkload(int slots, int perSlot) {
    if (slots < 1 || perSlot < 1) {
      throw new IllegalArgumentException("slots and episodes per slot must be at least 1, got " + slots + " and " + perSlot);
    }
  }

  /**
   * Stands between the runners and the policy server, forwarding everything, and starts each slot's next
   * episode when the slot's current one leaves. The newcomer is expected before the leaver leaves, so the
   * lockstep round the leave would complete waits for the newcomer's first request, as the plain loop's
   * next round holds it: which round an episode joins does not depend on timing.
   */
  private Behavior<PolicyServerProtocol.Command> slotRelay(ActorRef<PolicyServerProtocol.Command> server,
      List<Episode> eps, int slots, ActorRef<EpisodeResult> results) {
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < eps.size(); i++) {
      index.put(eps.get(i).episodeId(), i);
    }
    return Behaviors.setup(ctx -> Behaviors.receiveMessage(c -> {
      if (c instanceof PolicyServerProtocol.Leave leave) {
        int next = index.get(leave.episodeId()) + slots;
        if (next < eps.size()) {
          Episode e = eps.get(next);
          server.tell(new PolicyServerProtocol.Expect(e.episodeId()));
          server.tell(leave);
          ctx.spawn(runner(e, ctx.getSelf(), results), e.episodeId());
          return Behaviors.same();
        }
      }
      server.tell(c);
      return Behaviors.same();
    }));
  }

  private Behavior<EpisodeRunnerActor.Command> runner(Episode e, ActorRef<PolicyServerProtocol.Command> policy,
      ActorRef<EpisodeResult> results) {
    return EpisodeRunnerActor.create("bench", e, environments, models.format(), policy, 1_000, results);
  }

  /**
   * The actor runtime: a policy server and one runner per episode. With {@code maxBatch} > 1 the server
   * batches in lockstep rounds (the training default); {@code maxBatch} = 1 serves one request at a time.
   */
  public Measurement actors(int slots, int perSlot, long seed, int maxBatch) {
    checkWorkload(slots, perSlot);
    List<Episode> eps = episodes(slots * perSlot, seed);
    CompletableFuture<List<EpisodeResult>> done = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicLong start = new java.util.concurrent.atomic.AtomicLong();
    Behavior<EpisodeResult> run = Behaviors.setup(ctx -> {
      start.set(System.nanoTime()); // spawning the measurement's actors is part of rollout time, as in training
      ActorRef<PolicyServerProtocol.Command> policy = ctx.spawn(
          PolicyServerActor.create("bench", models, maxNewTokens, 1f, maxBatch, maxBatch > 1,
              batching, prefixMinTokens), "policy-server",
          DispatcherSelector.fromConfig("skillsd-compute-dispatcher"));
      ActorRef<PolicyServerProtocol.Command> relay = ctx.spawn(slotRelay(policy, eps, slots, ctx.getSelf()), "slots");
      EpisodeRunnerActor.launchAll(relay, eps.subList(0, slots), e -> ctx.spawn(runner(e, relay, ctx.getSelf()),
          e.episodeId()));
      List<EpisodeResult> results = new ArrayList<>();
      return Behaviors.receiveMessage(r -> {
        results.add(r);
        if (results.size() == eps.size()) {
          done.complete(results);
          return Behaviors.stopped(); // and its policy server and runners with it
        }
        return Behaviors.same();
      });
    });
    if (system == null) {
      system = ActorSystem.create(SpawnProtocol.create(), "bench", config);
    }
    ActorSystem<SpawnProtocol.Command> sys = system;
    String name = "run-" + (++runs);
    try {
      AskPattern.<SpawnProtocol.Command, ActorRef<EpisodeResult>>ask(sys,
          replyTo -> new SpawnProtocol.Spawn<>(run, name, Props.empty(), replyTo), Duration.ofSeconds(30),
          sys.scheduler()).toCompletableFuture().get(1, TimeUnit.MINUTES);
      List<EpisodeResult> results = done.get(30, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start.get()) / 1e9;
      long tokens = 0;
      long turns = 0;
      for (EpisodeResult r : results) {
        for (boolean b : r.transcript().sampled()) {
          tokens += b ? 1 : 0;
        }
        turns += r.trajectory().turns().size();
      }
      return new Measurement(maxBatch == 1 ? ONE_AT_A_TIME : BATCHED, eps.size(), seconds, tokens, turns);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark run failed: " + e, e);
    }
  }

  /** Stops the actor system of the actor measurements. */
  @Override
  public void close() {
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        // the measurements are already taken
      }
      system = null;
    }
  }

  /**
   * The same episodes in a plain loop over the same components, without actors, on the policy server's
   * deterministic schedule (lockstep rounds or continuous batching, as configured), with the same per-episode
   * session caches the policy server keeps; an episode that ends hands its slot to the slot's next episode.
   */
  public Measurement plainLoop(int slots, int perSlot, long seed) {
    checkWorkload(slots, perSlot);
    GradMode.offOnThisThread();
    long start = System.nanoTime();
    try (PlainSlots play = new PlainSlots(slots, perSlot, seed)) {
      if (batching == PolicyServerActor.Batching.CONTINUOUS) {
        plainContinuous(play);
      } else {
        plainLockstep(play);
      }
      return new Measurement(PLAIN, play.eps.size(), (System.nanoTime() - start) / 1e9, play.tokens, play.turns);
    }
  }

  /** Each round, one batched generation over every running episode, in episode order. */
  private void plainLockstep(PlainSlots play) {
    Generator generator = new Generator(models.studentNetwork());
    while (true) {
      List<Integer> active = play.active();
      if (active.isEmpty()) {
        return;
      }
      List<GenerationRequest> requests = new ArrayList<>();
      List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> prior = new ArrayList<>();
      for (int j : active) {
        requests.add(play.nextRequest(j));
        prior.add(play.sessions.get(j));
      }
      if (play.prefixes != null) {
        prior = play.prefixes.priors(generator, requests, prior);
      }
      long t0 = System.nanoTime();
      Generator.SessionResult result = generator.generate(requests, prior, true);
      LOG.debug("plain loop: batch of {} requests in {} ms", requests.size(), (System.nanoTime() - t0) / 1_000_000);
      for (int k = 0; k < active.size(); k++) {
        play.answered(active.get(k), result.generations().get(k).tokens(), result.states().get(k));
      }
    }
  }

  /**
   * One {@link ContinuousBatch} step at a time: a row whose answer ended plays its environment step, and its
   * episode's next turn (or the slot's next episode) joins at the next step; rows join in episode order.
   */
  private void plainContinuous(PlainSlots play) {
    Generator generator = new Generator(models.studentNetwork());
    List<Integer> joining = play.active(); // slots whose next turn joins at the next step
    try (ContinuousBatch<Integer> batch = new ContinuousBatch<>(models.studentNetwork(), true)) {
      while (!joining.isEmpty() || !batch.idle()) {
        joining.sort(java.util.Comparator.comparingInt(j -> play.playing[j]));
        List<GenerationRequest> requests = new ArrayList<>();
        List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> prior = new ArrayList<>();
        for (int j : joining) {
          requests.add(play.nextRequest(j));
          prior.add(play.sessions.get(j));
        }
        if (play.prefixes != null && !requests.isEmpty()) {
          prior = play.prefixes.priors(generator, requests, prior); // as the policy server asks, per step
        }
        for (int k = 0; k < joining.size(); k++) {
          batch.join(joining.get(k), requests.get(k), prior.get(k));
        }
        joining.clear();
        for (ContinuousBatch.Finished<Integer> f : batch.step()) {
          if (play.answered(f.key(), f.generation().tokens(), f.state())) {
            joining.add(f.key());
          }
        }
      }
    }
  }

  /** The plain loops' slots: per slot its episode, environment, dialogue, turn and session cache. */
  private final class PlainSlots implements AutoCloseable {
    final List<Episode> eps;
    final int slots;
    final int[] playing; // the episode each slot plays; -1 once the slot has played all of its own
    final Environment[] envs;
    final Transcript[] transcripts;
    final int[] turn;
    final List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> sessions = new ArrayList<>();
    final io.skillsd.policies.generation.PrefixCache prefixes;
    long tokens;
    long turns;

    PlainSlots(int slots, int perSlot, long seed) {
      this.eps = episodes(slots * perSlot, seed);
      this.slots = slots;
      this.playing = new int[slots];
      this.envs = new Environment[slots];
      this.transcripts = new Transcript[slots];
      this.turn = new int[slots];
      this.prefixes = prefixMinTokens > 0 ? new io.skillsd.policies.generation.PrefixCache(prefixMinTokens, 8) : null;
      for (int j = 0; j < slots; j++) {
        envs[j] = environments.get();
        playing[j] = j;
        transcripts[j] = open(models.format(), envs[j], eps.get(j));
        sessions.add(java.util.Optional.empty());
      }
    }

    /** The slots still playing, in the order of their episodes. */
    List<Integer> active() {
      List<Integer> out = new ArrayList<>();
      for (int j = 0; j < slots; j++) {
        if (playing[j] >= 0) {
          out.add(j);
        }
      }
      out.sort(java.util.Comparator.comparingInt(j -> playing[j]));
      return out;
    }

    /** Slot {@code j}'s request for its next turn, seeded as the episode runner seeds it. */
    GenerationRequest nextRequest(int j) {
      turn[j]++;
      return new GenerationRequest(transcripts[j].tokens(), new SamplingParams(temperature, 1f, maxNewTokens,
          models.format().stopTokens(), eps.get(playing[j]).seed() * 1_000_003L + turn[j]));
    }

    /**
     * Slot {@code j}'s answer: keeps its cache, plays it in the environment, and opens the slot's next episode
     * when this one ended. Returns whether the slot has a turn to ask for.
     */
    boolean answered(int j, int[] sampled, java.util.Optional<io.skillsd.policies.model.KvCache.RowState> state) {
      ChatFormat format = models.format();
      sessions.get(j).ifPresent(io.skillsd.policies.model.KvCache.RowState::close);
      sessions.set(j, state);
      tokens += sampled.length;
      turns++;
      int end = format.endOfTurnId();
      int len = sampled.length > 0 && sampled[sampled.length - 1] == end ? sampled.length - 1 : sampled.length;
      transcripts[j] = transcripts[j].appendSampled(sampled);
      StepResult r = envs[j].step(format.tokenizer().decode(Arrays.copyOf(sampled, len)));
      if (!r.done()) {
        transcripts[j] = format.observe(transcripts[j], r.observation());
        return true;
      }
      sessions.get(j).ifPresent(io.skillsd.policies.model.KvCache.RowState::close);
      sessions.set(j, java.util.Optional.empty());
      playing[j] += slots;
      if (playing[j] >= eps.size()) {
        playing[j] = -1;
        return false;
      }
      envs[j] = environments.get();
      turn[j] = 0;
      transcripts[j] = open(format, envs[j], eps.get(playing[j]));
      return true;
    }

    @Override
    public void close() {
      sessions.forEach(st -> st.ifPresent(io.skillsd.policies.model.KvCache.RowState::close));
      if (prefixes != null) {
        prefixes.close();
      }
    }
  }

  /** Resets {@code env} to the episode's task and opens its student dialogue. */
  private static Transcript open(ChatFormat format, Environment env, Episode episode) {
    String first = env.reset(episode.task());
    return format.open(new StudentPrompt(env.instructions(), first));
  }
}
