package io.skillsd.policies.objectives;

/**
 * Decides, after each update, what happens to the teacher's weights under a {@link TeacherSync} mode. The
 * operation itself is {@link TeacherWeights}.
 */
public final class TeacherSyncSchedule {

  /** What to do to θ̄ after an update. */
  public sealed interface Action {}

  /** Leave θ̄ as it is. */
  public record Keep() implements Action {}

  /** θ̄ ← θ. */
  public record Copy() implements Action {}

  /** θ̄ ← (1 − τ)·θ̄ + τ·θ. */
  public record Blend(double tau) implements Action {}

  private final TeacherSync mode;

  public TeacherSyncSchedule(TeacherSync mode) {
    this.mode = mode;
  }

  /** Before the first iteration every mode starts from θ̄ = θ_0. */
  public Action atStart() {
    return new Copy();
  }

  /**
   * @param update the number of updates applied to θ so far, counting this one (1, 2, …)
   * @return what to do to θ̄ now
   */
  public Action afterUpdate(long update) {
    if (update < 1) {
      throw new IllegalArgumentException("updates are counted from 1, was " + update);
    }
    if (mode instanceof TeacherSync.Dynamic d) {
      return update % d.everyK() == 0 ? new Copy() : new Keep();
    }
    if (mode instanceof TeacherSync.Ema e) {
      return new Blend(e.tau());
    }
    return new Keep(); // Frozen
  }
}
