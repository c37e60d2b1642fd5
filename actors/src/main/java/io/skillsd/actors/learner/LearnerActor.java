package io.skillsd.actors.learner;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.skillsd.actors.learner.LearnerProtocol.CheckpointSaved;
import io.skillsd.actors.learner.LearnerProtocol.Command;
import io.skillsd.actors.learner.LearnerProtocol.Sample;
import io.skillsd.actors.learner.LearnerProtocol.SaveCheckpoint;
import io.skillsd.actors.learner.LearnerProtocol.Update;
import io.skillsd.actors.learner.LearnerProtocol.Updated;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.run.RunLogging;
import io.skillsd.actors.teacher.TeacherProtocol;
import io.skillsd.policies.objectives.ObjectiveSettings;
import io.skillsd.policies.objectives.TeacherSyncSchedule;
import io.skillsd.policies.optim.AdamW;
import io.skillsd.policies.optim.TranscriptPolicy;
import io.skillsd.policies.optim.ScoredSequence;
import io.skillsd.policies.optim.StepDiagnostics;
import io.skillsd.policies.optim.UpdateSettings;
import io.skillsd.policies.optim.UpdateStep;
import io.skillsd.policies.prompt.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The learner: when an iteration's groups are complete, one batched update of θ with L_GRPO + λ·L_SDL
 * (minibatches, epochs, global-norm clipping, AdamW), then the new weights version is published and the
 * teacher synced per the schedule. Runs on the compute dispatcher. Its failure stops the run: the
 * coordinator watches it and writes a checkpoint of the last good weights.
 */
public final class LearnerActor extends AbstractBehavior<Command> {

  private final TrainingModels models;
  private final UpdateStep<Transcript> updateStep;
  private final TeacherSyncSchedule syncSchedule;
  private final ActorRef<TeacherProtocol.Command> teacher;
  private final int maxStaleness;
  private final double maintenanceWeight;
  private long teacherVersion;

  /**
   * @param resume optimizer state to restore (resuming from a checkpoint); empty for a new run, which
   *     then applies the teacher schedule's start action (θ̄ ← θ)
   * @param maintenanceWeight μ of the skill-conditioned maintenance term over the samples that carry a
   *     maintenance transcript; 0 = off. The term is the KL to the initial weights when {@code models}
   *     keeps them ({@link TrainingModels#keepInitial}), else the replayed tokens' negative log-likelihood.
   */
  public static Behavior<Command> create(String runId, TrainingModels models, ObjectiveSettings objective,
      UpdateSettings update, double maintenanceWeight, int maxStaleness, Optional<LearnerProtocol.ResumeState> resume,
      ActorRef<TeacherProtocol.Command> teacher) {
    return Behaviors.withMdc(Command.class, Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "learner"),
        Behaviors.setup(ctx -> new LearnerActor(ctx, models, objective, update, maintenanceWeight, maxStaleness,
            resume, teacher)));
  }

  private LearnerActor(ActorContext<Command> ctx, TrainingModels models, ObjectiveSettings objective,
      UpdateSettings update, double maintenanceWeight, int maxStaleness, Optional<LearnerProtocol.ResumeState> resume,
      ActorRef<TeacherProtocol.Command> teacher) {
    super(ctx);
    this.models = models;
    this.teacher = teacher;
    this.maxStaleness = maxStaleness;
    this.maintenanceWeight = maintenanceWeight;
    this.syncSchedule = new TeacherSyncSchedule(objective.teacherSync());
    // with maintenance = kl-initial the run kept θ₀ (TrainingRun); the term is then the KL to it
    this.updateStep = TranscriptPolicy.updateStep(models.studentNetwork(), objective, update, models.initial());
    if (resume.isPresent()) {
      LearnerProtocol.ResumeState r = resume.get();
      updateStep.restore(new UpdateStep.Snapshot(AdamW.fromState(r.optimizer(), r.optimizerSteps()), r.updates(),
          r.attemptedSteps()));
      teacherVersion = resume.get().teacherVersion();
    } else {
      teacher.tell(new TeacherProtocol.Sync(syncSchedule.atStart(), models.version()));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Update.class, this::onUpdate)
        .onMessage(SaveCheckpoint.class, this::onSaveCheckpoint)
        .onSignal(akka.actor.typed.PostStop.class, s -> {
          updateStep.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> onUpdate(Update u) {
    io.skillsd.policies.compute.GradMode.offOnThisThread();
    long start = System.currentTimeMillis();
    long current = models.version();
    List<ScoredSequence<Transcript>> batch = new ArrayList<>();
    List<ScoredSequence<Transcript>> maintenance = new ArrayList<>();
    int refused = 0;
    List<Sample> ordered = new ArrayList<>(u.samples());
    ordered.sort(java.util.Comparator.comparing(Sample::episodeId)); // the update must not depend on finish order
    for (Sample s : ordered) {
      if (current - s.version() > maxStaleness) {
        refused++;
        getContext().getLog().warn("refused episode {}: sampled with version {}, current {}, max staleness {}",
            s.episodeId(), s.version(), current, maxStaleness);
        continue;
      }
      batch.add(new ScoredSequence<>(s.transcript(), s.logpOld(), sampledMask(s.transcript()), s.advantage(),
          s.logpTeacher(), new float[0]));
      s.maintenance().ifPresent(t -> maintenance.add(
          ScoredSequence.of(t, new float[t.length()], sampledMask(t), 0)));
    }
    long splitBefore = updateStep.splitSteps();
    List<StepDiagnostics> steps =
        batch.isEmpty() ? List.of() : updateStep.update(batch, maintenance, maintenanceWeight);
    long split = updateStep.splitSteps() - splitBefore;
    long version = current + 1;
    models.setVersion(version);
    TeacherSyncSchedule.Action action = syncSchedule.afterUpdate(version);
    if (!(action instanceof TeacherSyncSchedule.Keep)) {
      teacher.tell(new TeacherProtocol.Sync(action, version));
      teacherVersion = version;
    }
    long millis = System.currentTimeMillis() - start;
    long skipped = steps.stream().filter(StepDiagnostics::skipped).count();
    getContext().getLog().info("iteration {}: {} trajectories, {} steps ({} skipped{}), version {} in {} ms",
        u.iteration(), batch.size(), steps.size(), skipped,
        split == 0 ? "" : ", " + split + " in micro-batches to stay within skillsd.train.microbatch-memory",
        version, millis);
    u.replyTo().tell(new Updated(u.iteration(), version, steps, refused, millis));
    return this;
  }

  /** 1 at the tokens the policy sampled, 0 elsewhere. */
  private static float[] sampledMask(Transcript t) {
    boolean[] sampled = t.sampled();
    float[] mask = new float[sampled.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = sampled[i] ? 1f : 0f;
    }
    return mask;
  }

  private Behavior<Command> onSaveCheckpoint(SaveCheckpoint c) {
    io.skillsd.policies.compute.GradMode.offOnThisThread();
    models.save(c.dir(), updateStep.optimizer().state());
    getContext().getLog().info("checkpoint written to {} (version {})", c.dir(), models.version());
    UpdateStep.Snapshot snapshot = updateStep.snapshot();
    c.replyTo().tell(new CheckpointSaved(c.dir(), models.version(), snapshot.optimizer().steps(), snapshot.updates(),
        snapshot.attemptedSteps(), teacherVersion));
    return this;
  }
}
