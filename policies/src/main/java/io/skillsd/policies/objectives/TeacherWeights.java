package io.skillsd.policies.objectives;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.Map;

/**
 * The teacher-sync operations on weights: θ̄ ← θ and θ̄ ← (1 − τ)·θ̄ + τ·θ, over any two DJL models of the
 * same architecture. Parameters are matched by name ({@code block.getParameters()} of each model); a name
 * missing on either side or a shape mismatch is a broken invariant and fails before anything is written.
 * Call outside a {@code GradientCollector}: the teacher's arrays are updated in place.
 */
public final class TeacherWeights {

  private TeacherWeights() {}

  /** Applies a schedule's action: θ̄ is {@code teacher}, θ is {@code student}. */
  public static void apply(
      TeacherSyncSchedule.Action action, ParameterList student, ParameterList teacher) {
    if (action instanceof TeacherSyncSchedule.Copy) {
      copy(student, teacher);
    } else if (action instanceof TeacherSyncSchedule.Blend b) {
      blend(student, teacher, b.tau());
    }
  }

  /** θ̄ ← θ. */
  public static void copy(ParameterList student, ParameterList teacher) {
    Map<String, Parameter> target = matched(student, teacher);
    for (Pair<String, Parameter> p : student) {
      p.getValue().getArray().copyTo(target.get(p.getKey()).getArray());
    }
  }

  /** θ̄ ← (1 − τ)·θ̄ + τ·θ, τ ∈ (0, 1]. */
  public static void blend(ParameterList student, ParameterList teacher, double tau) {
    if (!(tau > 0 && tau <= 1)) {
      throw new IllegalArgumentException("tau must be in (0, 1], was " + tau);
    }
    Map<String, Parameter> target = matched(student, teacher);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Pair<String, Parameter> p : student) {
        NDArray thetaBar = target.get(p.getKey()).getArray();
        NDArray theta = p.getValue().getArray().toDevice(thetaBar.getDevice(), false);
        thetaBar.muli((float) (1 - tau)).addi(theta.mul((float) tau));
      }
    }
  }

  private static Map<String, Parameter> matched(ParameterList student, ParameterList teacher) {
    Map<String, Parameter> target = teacher.toMap();
    if (target.size() != student.size()) {
      throw new IllegalArgumentException(
          "student has " + student.size() + " parameters, teacher " + target.size());
    }
    for (Pair<String, Parameter> p : student) {
      Parameter t = target.get(p.getKey());
      if (t == null) {
        throw new IllegalArgumentException("teacher has no parameter named " + p.getKey());
      }
      if (!t.getArray().getShape().equals(p.getValue().getArray().getShape())) {
        throw new IllegalArgumentException(
            "parameter " + p.getKey() + ": student shape " + p.getValue().getArray().getShape()
                + ", teacher shape " + t.getArray().getShape());
      }
    }
    return target;
  }
}
