package io.skillsd.actors.learner;

import akka.actor.typed.ActorRef;
import io.skillsd.policies.optim.StepDiagnostics;
import io.skillsd.policies.prompt.Transcript;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Messages of the {@link LearnerActor}: one batched update per iteration, checkpoints. */
public final class LearnerProtocol {

  private LearnerProtocol() {}

  public sealed interface Command permits Update, SaveCheckpoint {}

  /**
   * One trajectory ready for the update.
   *
   * @param transcript the student's dialogue (token ids and which tokens it sampled)
   * @param logpOld log π_θold per position (0 outside sampled tokens), length = transcript length
   * @param logpTeacher log π_θ̄ per position under task ⊕ skill; empty when the task had no skill
   * @param advantage Â of the trajectory within its group
   * @param version the weights version that sampled it
   * @param maintenance the same dialogue under the teacher's prompt (task ⊕ skill), when this successful
   *     trajectory is replayed by the skill-conditioned maintenance term; empty otherwise
   */
  public record Sample(String episodeId, Transcript transcript, float[] logpOld, float[] logpTeacher, double advantage,
      long version, java.util.Optional<Transcript> maintenance) {
    public Sample {
      Objects.requireNonNull(episodeId, "episodeId");
      Objects.requireNonNull(transcript, "transcript");
      Objects.requireNonNull(maintenance, "maintenance");
      if (logpOld.length != transcript.length()) {
        throw new IllegalArgumentException("logpOld has " + logpOld.length + " positions, transcript " + transcript.length());
      }
      if (logpTeacher.length != 0 && logpTeacher.length != transcript.length()) {
        throw new IllegalArgumentException("logpTeacher has " + logpTeacher.length + " positions, transcript " + transcript.length());
      }
    }

    /** A trajectory the maintenance term does not replay. */
    public Sample(String episodeId, Transcript transcript, float[] logpOld, float[] logpTeacher, double advantage,
        long version) {
      this(episodeId, transcript, logpOld, logpTeacher, advantage, version, java.util.Optional.empty());
    }
  }

  /** Update θ on the iteration's trajectories, then publish the new version. */
  public record Update(int iteration, List<Sample> samples, ActorRef<Updated> replyTo) implements Command {
    public Update {
      samples = List.copyOf(samples);
    }
  }

  /**
   * The update is applied (or was skipped in full by the non-finite guard).
   *
   * @param version the weights version now published
   * @param steps the optimizer steps' diagnostics
   * @param refusedStale trajectories refused as older than the allowed staleness
   * @param millis wall time of the update
   */
  public record Updated(int iteration, long version, List<StepDiagnostics> steps, int refusedStale, long millis) {
    public Updated {
      steps = List.copyOf(steps);
    }
  }


  /** Save θ, θ̄ and the optimizer state into {@code dir}. */
  public record SaveCheckpoint(Path dir, ActorRef<CheckpointSaved> replyTo) implements Command {}

  /**
   * @param optimizerSteps AdamW's step count (its bias correction)
   * @param updates updates applied so far (they seed the minibatch shuffles)
   * @param attemptedSteps optimizer steps attempted, skipped ones included
   * @param teacherVersion the student version θ̄ was last synced from
   */
  public record CheckpointSaved(Path dir, long version, long optimizerSteps, long updates, long attemptedSteps,
      long teacherVersion) {}

  /** What a resumed learner restores besides the weights. */
  public record ResumeState(java.util.Map<String, io.skillsd.policies.checkpoint.HostTensor> optimizer,
      long optimizerSteps, long updates, long attemptedSteps, long teacherVersion) {}
}
