package io.skillsd.actors.coordinator;

import io.skillsd.actors.learner.LearnerProtocol;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.actors.skills.SkillBankProtocol;
import io.skillsd.actors.teacher.TeacherProtocol;
import java.util.Optional;

/** Messages of the {@link CoordinatorActor}: all are replies and signals adapted from the other roles. */
public final class CoordinatorProtocol {

  private CoordinatorProtocol() {}

  public sealed interface Command
      permits Start, Stop, Finished, Crashed, SkillsSelected, TeacherScored, LearnerUpdated, CheckpointWritten, LearnerDied,
      PoolReported, WeightsPublished, GroupSkill, OwnSkill, ProgressTick {}

  /** Begin the run. */
  public record Start() implements Command {}

  /**
   * Stop the run before its last iteration. At the next iteration boundary, with a checkpoint there that
   * {@code --resume} continues exactly: a training iteration in progress finishes (rollouts, scoring,
   * update) first; an evaluation in progress is abandoned (a resumed run evaluates again); before the first
   * iteration nothing is saved. Or {@code now}: the iteration in progress is abandoned and the last
   * checkpoint written stays the one to resume from.
   *
   * @param reason what asked for it, for the log and the outcome (e.g. {@code SIGINT})
   */
  public record Stop(String reason, boolean now) implements Command {}

  record Finished(EpisodeResult result) implements Command {}

  record Crashed(Episode episode) implements Command {}

  record SkillsSelected(int iteration, SkillBankProtocol.Selected selected) implements Command {}

  record TeacherScored(TeacherProtocol.Scored scored) implements Command {}

  record LearnerUpdated(LearnerProtocol.Updated updated) implements Command {}

  record CheckpointWritten(LearnerProtocol.CheckpointSaved saved, Optional<SkillBankProtocol.BankStats> bank) implements Command {}

  record LearnerDied() implements Command {}

  /**
   * The skill summarized from a group's first success (teacher skill {@code group-success}); empty when the
   * summarizer gave none.
   */
  record GroupSkill(int iteration, int group, String fromEpisode, Optional<io.skillsd.skills.Skill> skill)
      implements Command {}

  /** The skill summarized from a successful episode itself, for its maintenance replay; empty when none. */
  record OwnSkill(int iteration, String episodeId, Optional<io.skillsd.skills.Skill> skill) implements Command {}

  /** A {@link RolloutPool} reports how a run ended (cluster mode). */
  record PoolReported(RolloutPool.Outcome outcome) implements Command {}

  /** Time to say how far a long stage has got (see {@code CoordinatorActor.PROGRESS_EVERY}). */
  record ProgressTick() implements Command {}

  /** Every rollout node holds the weights of the update (cluster mode). */
  record WeightsPublished(LearnerUpdated update, RolloutPool.Published published) implements Command {}
}
