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
 * Rollout throughput of {@code episodes} concurrent episodes, three ways over the same components: the
 * actor runtime with dynamic batching, the actor runtime with one request at a time, and a plain loop
 * (no actors) that batches every running episode's turn into one generation call.
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
  /** One actor system for every actor measurement, so each one runs on the same, warm compute thread. */
  private ActorSystem<SpawnProtocol.Command> system;
  private int runs;

  /**
   * @param prefixMinTokens the shared-prefix cache's shortest prefix ({@code skillsd.train.prefix-cache-min-tokens});
   *     0 = off. Every mode uses the same setting.
   */
  public RolloutBench(TrainingModels models, Supplier<Environment> environments, Config config, int maxNewTokens,
      int prefixMinTokens) {
    this.models = models;
    this.prefixMinTokens = prefixMinTokens;
    this.environments = environments;
    this.config = config;
    this.maxNewTokens = maxNewTokens;
  }

  private List<Episode> episodes(int n, long seed) {
    List<Task> tasks = environments.get().tasks().train();
    List<Episode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Episode.student(String.format("bench-%03d", i), tasks.get(i % tasks.size()), 0, i, 0, false, temperature,
          seed + i));
    }
    return out;
  }

  /**
   * The actor runtime: a policy server and one runner per episode. With {@code maxBatch} > 1 the server
   * batches in lockstep rounds (the training default); {@code maxBatch} = 1 serves one request at a time.
   */
  public Measurement actors(int n, long seed, int maxBatch) {
    List<Episode> eps = episodes(n, seed);
    CompletableFuture<List<EpisodeResult>> done = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicLong start = new java.util.concurrent.atomic.AtomicLong();
    Behavior<EpisodeResult> run = Behaviors.setup(ctx -> {
      start.set(System.nanoTime()); // spawning the measurement's actors is part of rollout time, as in training
      ActorRef<PolicyServerProtocol.Command> policy = ctx.spawn(
          PolicyServerActor.create("bench", models, maxNewTokens, 1f, maxBatch, maxBatch > 1,
              prefixMinTokens), "policy-server",
          DispatcherSelector.fromConfig("skillsd-compute-dispatcher"));
      EpisodeRunnerActor.launchAll(policy, eps, e -> ctx.spawn(
          EpisodeRunnerActor.create("bench", e, environments, models.format(), policy, 1_000, ctx.getSelf()),
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
      return new Measurement(maxBatch == 1 ? ONE_AT_A_TIME : BATCHED, n, seconds,
          tokens, turns);
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
   * The same episodes in a plain loop: each round, one batched generation over every running episode,
   * with the same per-episode session caches the policy server keeps.
   */
  public Measurement plainLoop(int n, long seed) {
    GradMode.offOnThisThread();
    List<Episode> eps = episodes(n, seed);
    ChatFormat format = models.format();
    int end = format.endOfTurnId();
    long start = System.nanoTime();
    Environment[] envs = new Environment[n];
    Transcript[] transcripts = new Transcript[n];
    int[] turn = new int[n];
    boolean[] done = new boolean[n];
    long tokens = 0;
    long turns = 0;
    for (int i = 0; i < n; i++) {
      envs[i] = environments.get();
      String first = envs[i].reset(eps.get(i).task());
      transcripts[i] = format.open(new StudentPrompt(envs[i].instructions(), first));
    }
    Generator generator = new Generator(models.studentNetwork());
    io.skillsd.policies.generation.PrefixCache prefixes = prefixMinTokens > 0
        ? new io.skillsd.policies.generation.PrefixCache(prefixMinTokens, 8) : null;
    List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> sessions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sessions.add(java.util.Optional.empty());
    }
    while (true) {
      List<Integer> active = new ArrayList<>();
      List<GenerationRequest> requests = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!done[i]) {
          active.add(i);
          turn[i]++;
          requests.add(new GenerationRequest(transcripts[i].tokens(), new SamplingParams(temperature, 1f, maxNewTokens,
              format.stopTokens(), eps.get(i).seed() * 1_000_003L + turn[i])));
        }
      }
      if (active.isEmpty()) {
        break;
      }
      List<java.util.Optional<io.skillsd.policies.model.KvCache.RowState>> prior = new ArrayList<>();
      for (int i : active) {
        prior.add(sessions.get(i));
      }
      if (prefixes != null) {
        prior = prefixes.priors(generator, requests, prior);
      }
      long t0 = System.nanoTime();
      Generator.SessionResult result = generator.generate(requests, prior, true);
      LOG.debug("plain loop: batch of {} requests in {} ms", requests.size(), (System.nanoTime() - t0) / 1_000_000);
      List<Generation> out = result.generations();
      for (int k = 0; k < active.size(); k++) {
        int i = active.get(k);
        sessions.get(i).ifPresent(io.skillsd.policies.model.KvCache.RowState::close);
        sessions.set(i, result.states().get(k));
        int[] sampled = out.get(k).tokens();
        tokens += sampled.length;
        turns++;
        int len = sampled.length > 0 && sampled[sampled.length - 1] == end ? sampled.length - 1 : sampled.length;
        transcripts[i] = transcripts[i].appendSampled(sampled);
        StepResult r = envs[i].step(format.tokenizer().decode(Arrays.copyOf(sampled, len)));
        if (r.done()) {
          done[i] = true;
        } else {
          transcripts[i] = format.observe(transcripts[i], r.observation());
        }
      }
    }
    sessions.forEach(st -> st.ifPresent(io.skillsd.policies.model.KvCache.RowState::close));
    if (prefixes != null) {
      prefixes.close();
    }
    return new Measurement(PLAIN, n, (System.nanoTime() - start) / 1e9, tokens, turns);
  }

}
