package io.skillsd.actors.teacher;

import akka.actor.typed.ActorRef;
import io.skillsd.policies.objectives.TeacherSyncSchedule;
import io.skillsd.policies.prompt.TeacherPrompt;
import io.skillsd.policies.prompt.Transcript;
import java.util.Objects;

/** Messages of the {@link TeacherActor}: score a student's dialogue under task ⊕ skill; sync θ̄. */
public final class TeacherProtocol {

  private TeacherProtocol() {}

  public sealed interface Command permits Score, Sync, Flush {}

  /**
   * Score the student's own tokens under the teacher's prompt. The teacher never generates.
   *
   * @param student the student's full dialogue (its opening prompt has no skill)
   * @param prompt the same instructions and task plus the retrieved skill
   */
  public record Score(String episodeId, Transcript student, TeacherPrompt prompt, ActorRef<Scored> replyTo) implements Command {
    public Score {
      Objects.requireNonNull(episodeId, "episodeId");
      Objects.requireNonNull(student, "student");
      Objects.requireNonNull(prompt, "prompt");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * log π_θ̄ of each student token, aligned with the student's transcript (0 in its opening prompt).
   *
   * @param teacherVersion the student version θ̄ was last synced from
   */
  public record Scored(String episodeId, float[] logpTeacher, long teacherVersion) {}

  /** Apply a teacher-sync action (copy θ or blend toward it), after the learner's update {@code version}. */
  public record Sync(TeacherSyncSchedule.Action action, long version) implements Command {
    public Sync {
      Objects.requireNonNull(action, "action");
    }
  }

  record Flush() implements Command {}
}
