package io.skillsd.policies.objectives;

/**
 * How the teacher's weights θ̄ follow the student's θ. At the start θ̄ = θ_0 in every mode.
 *
 * <ul>
 *   <li>{@link Dynamic}: θ̄ ← θ (hard copy) after every K-th update — the paper's "dynamic" teacher;
 *       default K = 1.
 *   <li>{@link Frozen}: θ̄ = θ_0 for the whole run (the paper's frozen-teacher ablation).
 *   <li>{@link Ema}: θ̄ ← (1 − τ)·θ̄ + τ·θ after every update; an ablation of ours.
 * </ul>
 */
public sealed interface TeacherSync {

  /** θ̄ ← θ after every K-th update. */
  record Dynamic(int everyK) implements TeacherSync {
    public Dynamic {
      if (everyK < 1) {
        throw new IllegalArgumentException("teacher sync interval K must be >= 1, was " + everyK);
      }
    }
  }

  /** θ̄ stays θ_0. */
  record Frozen() implements TeacherSync {}

  /** θ̄ ← (1 − τ)·θ̄ + τ·θ after every update. */
  record Ema(double tau) implements TeacherSync {
    public Ema {
      if (!(tau > 0 && tau <= 1)) {
        throw new IllegalArgumentException("teacher EMA tau must be in (0, 1], was " + tau);
      }
    }
  }

  /** The paper's default: a hard copy after every update. */
  static TeacherSync paperDefault() {
    return new Dynamic(1);
  }
}
