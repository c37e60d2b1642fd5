package io.skillsd.actors.teacher;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.actors.teacher.TeacherProtocol.Command;
import io.skillsd.actors.teacher.TeacherProtocol.Flush;
import io.skillsd.actors.teacher.TeacherProtocol.Score;
import io.skillsd.actors.teacher.TeacherProtocol.Scored;
import io.skillsd.actors.teacher.TeacherProtocol.Sync;
import io.skillsd.policies.generation.Scorer;
import io.skillsd.policies.objectives.TeacherSyncSchedule;
import io.skillsd.policies.prompt.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The privileged teacher: scores each finished student trajectory under task ⊕ skill with weights θ̄,
 * batching whatever is waiting, and applies the teacher-sync actions the learner sends. Runs on the
 * compute dispatcher. A restart loses only the batch in flight (those trajectories are re-scored when the
 * coordinator asks again).
 */
public final class TeacherActor extends AbstractBehavior<Command> {

  private final TrainingModels models;
  private final List<Score> pending = new ArrayList<>();
  private final int maxBatch;
  private boolean flushQueued;
  private long syncedFrom;

  /**
   * @param maxBatch the most trajectories scored in one forward pass; 1 makes every score independent of
   *     which other trajectories finished at the same time (exact reproducibility)
   * @param syncedFrom the student version θ̄ holds at start (0, or the checkpoint's when resuming)
   */
  public static Behavior<Command> create(String runId, TrainingModels models, int maxBatch, long syncedFrom) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "teacher"),
        Behaviors.setup(ctx -> new TeacherActor(ctx, models, maxBatch, syncedFrom)));
  }

  private TeacherActor(ActorContext<Command> ctx, TrainingModels models, int maxBatch, long syncedFrom) {
    super(ctx);
    this.models = models;
    this.maxBatch = maxBatch;
    this.syncedFrom = syncedFrom;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Score.class, this::onScore)
        .onMessage(Flush.class, f -> onFlush())
        .onMessage(Sync.class, this::onSync)
        .build();
  }

  private Behavior<Command> onScore(Score s) {
    pending.add(s);
    if (!flushQueued) {
      getContext().getSelf().tell(new Flush());
      flushQueued = true;
    }
    return this;
  }

  private Behavior<Command> onFlush() {
    io.skillsd.policies.compute.GradMode.offOnThisThread();
    flushQueued = false;
    if (pending.isEmpty()) {
      return this;
    }
    List<Score> batch = new ArrayList<>(pending.subList(0, Math.min(maxBatch, pending.size())));
    pending.subList(0, batch.size()).clear();
    if (!pending.isEmpty()) {
      getContext().getSelf().tell(new Flush());
      flushQueued = true;
    }
    List<int[]> sequences = new ArrayList<>(batch.size());
    List<Transcript> teacherViews = new ArrayList<>(batch.size());
    for (Score s : batch) {
      Transcript view = models.format().forTeacher(s.student(), s.prompt());
      teacherViews.add(view);
      sequences.add(view.tokens());
    }
    long start = System.nanoTime();
    List<float[]> scores = new Scorer(models.teacher()).score(sequences, 1f);
    for (int i = 0; i < batch.size(); i++) {
      Score s = batch.get(i);
      s.replyTo().tell(new Scored(s.episodeId(), align(s.student(), teacherViews.get(i), scores.get(i)), syncedFrom));
    }
    getContext().getLog().debug("scored {} trajectories in {} ms", batch.size(), (System.nanoTime() - start) / 1_000_000);
    return this;
  }

  /** Maps teacher positions back to the student's: both share every token after their opening prompts. */
  static float[] align(Transcript student, Transcript teacher, float[] teacherLogp) {
    float[] out = new float[student.length()];
    int shift = teacher.promptLength() - student.promptLength();
    for (int j = student.promptLength(); j < student.length(); j++) {
      out[j] = teacherLogp[j + shift];
    }
    return out;
  }

  private Behavior<Command> onSync(Sync sync) {
    io.skillsd.policies.compute.GradMode.offOnThisThread();
    TeacherSyncSchedule.Action action = sync.action();
    if (action instanceof TeacherSyncSchedule.Copy) {
      models.teacher().copyFrom(models.studentNetwork());
      syncedFrom = sync.version();
      getContext().getLog().info("teacher synced: θ̄ ← θ (version {})", sync.version());
    } else if (action instanceof TeacherSyncSchedule.Blend b) {
      // CausalLm.ema keeps τ_keep of its own weights: θ̄ ← (1 − τ)·θ̄ + τ·θ.
      models.teacher().ema(models.studentNetwork(), (float) (1.0 - b.tau()));
      syncedFrom = sync.version();
      getContext().getLog().info("teacher blended toward θ with τ = {} (version {})", b.tau(), sync.version());
    }
    return this;
  }
}
