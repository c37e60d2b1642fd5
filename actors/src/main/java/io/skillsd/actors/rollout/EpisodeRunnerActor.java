package io.skillsd.actors.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.environments.Environment;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Trajectory;
import io.skillsd.policies.prompt.ChatFormat;
import io.skillsd.policies.prompt.StudentPrompt;
import io.skillsd.policies.prompt.TeacherPrompt;
import io.skillsd.policies.prompt.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plays one episode: the environment lives inside the runner; each turn the dialogue so far (tokens,
 * never re-tokenized) goes to the policy server and the reply's text to the environment. The student
 * prompt holds no skill. When the episode ends the runner reports an {@link EpisodeResult} and stops.
 *
 * <p>An exception from the environment fails the runner; the coordinator, which watches it, re-runs the
 * episode from the start (nothing of the failed attempt is kept).
 */
public final class EpisodeRunnerActor extends AbstractBehavior<EpisodeRunnerActor.Command> {

  public sealed interface Command permits Reply {}

  /** The policy's reply for turn {@code turn}. */
  record Reply(int turn, PolicyServerProtocol.Generated generated) implements Command {}

  private final Episode episode;
  private final Environment env;
  private final ChatFormat format;
  private final ActorRef<PolicyServerProtocol.Command> policy;
  private final ActorRef<EpisodeResult> replyTo;
  private final int maxTurns;
  private final String firstObservation;
  private final List<Trajectory.Turn> turns = new ArrayList<>();
  private final ActorRef<PolicyServerProtocol.Generated> replyAdapter;
  private final Transcript studentPrompt;
  private Transcript transcript;
  private float[] logpOld = new float[0];
  private long version = Long.MAX_VALUE;
  private int turn;
  private long generateNanos;
  private long envNanos;
  private long askedAt;

  /**
   * Starts {@code episodes} against {@code policy}: the server hears every one of them expected before
   * {@code start} spawns any runner. A runner sends its first request as it starts, and the server's first
   * step (or lockstep round) must not start with the episodes announced so far (a first batch of one, and the
   * composition of every batch after it, would then depend on thread timing).
   */
  public static void launchAll(ActorRef<PolicyServerProtocol.Command> policy, List<Episode> episodes,
      java.util.function.Consumer<Episode> start) {
    for (Episode episode : episodes) {
      policy.tell(new PolicyServerProtocol.Expect(episode.episodeId()));
    }
    episodes.forEach(start);
  }

  /**
   * Spawns {@code runner} as a child of {@code ctx} named {@code name}: a failure stops it (its owner re-runs or
   * reports the episode), and the owner hears {@code stopped} when it stops.
   */
  public static <T> void spawnWatched(ActorContext<T> ctx, Behavior<Command> runner,
      String name, T stopped) {
    ActorRef<Command> ref = ctx.spawn(
        Behaviors.supervise(runner).onFailure(Exception.class, SupervisorStrategy.stop()), name);
    ctx.watchWith(ref, stopped);
  }

  public static Behavior<Command> create(String runId, Episode episode, Supplier<Environment> environments,
      ChatFormat format, ActorRef<PolicyServerProtocol.Command> policy, int maxTurns, ActorRef<EpisodeResult> replyTo) {
    Map<String, String> mdc = Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "episode-runner",
        RunLogging.EPISODE_ID, episode.episodeId());
    return Behaviors.withMdc(Command.class, mdc, msg -> turnMdc(msg),
        Behaviors.setup(ctx -> new EpisodeRunnerActor(ctx, episode, environments.get(), format, policy, maxTurns, replyTo)));
  }

  private static Map<String, String> turnMdc(Command msg) {
    Map<String, String> m = new HashMap<>();
    if (msg instanceof Reply r) {
      m.put(RunLogging.TURN, Integer.toString(r.turn()));
    }
    return m;
  }

  private EpisodeRunnerActor(ActorContext<Command> ctx, Episode episode, Environment env, ChatFormat format,
      ActorRef<PolicyServerProtocol.Command> policy, int maxTurns, ActorRef<EpisodeResult> replyTo) {
    super(ctx);
    this.episode = episode;
    this.env = env;
    this.format = format;
    this.policy = policy;
    this.replyTo = replyTo;
    this.maxTurns = maxTurns;
    long t0 = System.nanoTime();
    this.firstObservation = env.reset(episode.task());
    envNanos += System.nanoTime() - t0;
    this.studentPrompt = format.open(new StudentPrompt(env.instructions(), firstObservation));
    // Only the ablations that mean to (Skill-augmented GRPO, teacher-owned rollouts) sample with a skill
    // in the prompt; Skill-SD's student never sees one.
    this.transcript = episode.rolloutSkill()
        .map(skill -> format.open(new TeacherPrompt(env.instructions(), firstObservation, skill)))
        .orElse(studentPrompt);
    this.logpOld = new float[transcript.length()];
    this.replyAdapter = ctx.messageAdapter(PolicyServerProtocol.Generated.class, g -> new Reply(turn, g));
    ctx.getLog().debug("episode {} started on task {}", episode.episodeId(), episode.task().id());
    askPolicy();
  }

  private void askPolicy() {
    turn++;
    askedAt = System.nanoTime();
    long seed = episode.seed() * 1_000_003L + turn;
    policy.tell(new PolicyServerProtocol.Generate(episode.episodeId(), transcript, episode.temperature(), seed,
        episode.teacherRollout(), replyAdapter));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Reply.class, this::onReply).build();
  }

  /**
   * What the learner trains on. Teacher-owned rollouts train the student on its own prompt (no skill):
   * the sampled turns move behind the student's opening prompt, their log-probs with them. Otherwise the
   * transcript is trained as sampled (with Skill-augmented GRPO's skill still in it, as that method does).
   */
  private EpisodeResult trainingView(Trajectory trajectory) {
    Transcript view = transcript;
    float[] logp = logpOld;
    if (episode.teacherRollout() && transcript.promptLength() != studentPrompt.promptLength()) {
      view = transcript.withPrompt(studentPrompt.tokens());
      logp = new float[view.length()];
      int shift = studentPrompt.promptLength() - transcript.promptLength();
      for (int j = transcript.promptLength(); j < transcript.length(); j++) {
        logp[j + shift] = logpOld[j];
      }
    }
    return new EpisodeResult(episode, trajectory, view, logp, version, generateNanos / 1_000_000, envNanos / 1_000_000);
  }

  private Behavior<Command> onReply(Reply r) {
    PolicyServerProtocol.Generated g = r.generated();
    generateNanos += System.nanoTime() - askedAt;
    if (g.contextFull()) {
      // The dialogue fills the model's context: the episode ends with the turns it played (a truncation,
      // like the turn limit), counted apart so a run shows how often its context was too short (the
      // iteration's console line and metrics.jsonl's context_full; the policy server warns once).
      getContext().getLog().debug("episode {} ends after {} turns: its dialogue of {} tokens fills the model's context",
          episode.episodeId(), turns.size(), transcript.length());
      return finish(true);
    }
    version = Math.min(version, g.version());
    int before = transcript.length();
    transcript = transcript.appendSampled(g.tokens());
    logpOld = Arrays.copyOf(logpOld, transcript.length());
    System.arraycopy(g.logProbs(), 0, logpOld, before, g.logProbs().length);

    long t0 = System.nanoTime();
    StepResult result = env.step(g.text());
    envNanos += System.nanoTime() - t0;
    turns.add(new Trajectory.Turn(g.text(), result));
    getContext().getLog().debug("turn {}: reward {} valid {} done {}", turn, result.reward(), result.actionValid(), result.done());
    if (result.done() || turn >= maxTurns) {
      return finish(false);
    }
    transcript = format.observe(transcript, result.observation());
    logpOld = Arrays.copyOf(logpOld, transcript.length());
    askPolicy();
    return this;
  }

  private Behavior<Command> finish(boolean contextFull) {
    Trajectory trajectory = new Trajectory(env.name(), episode.task(), env.instructions(), firstObservation, turns, env.metrics());
    getContext().getLog().debug("episode {} finished: {} turns, success {}, completion {}, return {}",
        episode.episodeId(), turns.size(), trajectory.metrics().success(),
        String.format("%.2f", trajectory.metrics().completion()), String.format("%.2f", trajectory.totalReward()));
    policy.tell(new PolicyServerProtocol.Leave(episode.episodeId()));
    EpisodeResult result = trainingView(trajectory);
    replyTo.tell(contextFull ? result.endedByContext() : result);
    return Behaviors.stopped();
  }
}
