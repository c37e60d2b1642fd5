package io.skillsd.policies.pretrain;

import io.skillsd.environments.sokoban.SokobanSettings;
import java.util.Objects;

/**
 * How the base agent is pretrained.
 *
 * @param preset the Sokoban preset whose training levels and turn protocol the data follows
 * @param steps optimizer steps
 * @param seed seeds the model's initialization and the data stream
 * @param batchSize examples per step
 * @param learningRate AdamW's peak learning rate (linear warm-up, cosine decay to a tenth)
 * @param warmupSteps warm-up steps
 * @param weightDecay AdamW's decoupled weight decay
 * @param maxGradNorm the global gradient-norm clip
 * @param fillToEnd whether student episodes left open by their plan go on with random answers until they end
 * @param teacherShare the fraction of examples that are teacher episodes (skill in the prompt), in (0, 1)
 * @param teacherWanderShare the fraction of teacher episodes, in [0, 1), that replay a wandering plan (see
 *     {@link SokobanPlans#wandering}) instead of the optimal plan or a detour; 0 keeps the first stages' data
 */
public record PretrainSettings(
    String preset,
    int steps,
    long seed,
    int batchSize,
    double learningRate,
    int warmupSteps,
    double weightDecay,
    double maxGradNorm,
    boolean fillToEnd,
    double teacherShare,
    double teacherWanderShare) {

  public PretrainSettings {
    Objects.requireNonNull(preset, "preset");
    SokobanSettings.preset(preset); // validates the name
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be a finite number > 0, was " + learningRate);
    }
    if (warmupSteps < 0 || warmupSteps >= steps) {
      throw new IllegalArgumentException("warm-up steps must be in [0, steps), was " + warmupSteps);
    }
    if (!(teacherShare > 0 && teacherShare < 1)) {
      throw new IllegalArgumentException("teacher share must be in (0, 1), was " + teacherShare);
    }
    if (!(teacherWanderShare >= 0 && teacherWanderShare < 1)) {
      throw new IllegalArgumentException("teacher wander share must be in [0, 1), was " + teacherWanderShare);
    }
    if (!(weightDecay >= 0) || !(maxGradNorm > 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0 and the gradient clip > 0");
    }
  }

  /** The shipped recipe's defaults for {@code steps} steps. */
  public static PretrainSettings defaults(String preset, int steps, long seed) {
    return new PretrainSettings(preset, steps, seed, 8, 3e-3, Math.min(20, steps - 1), 0.01, 1.0, false, 0.5, 0);
  }

  public SokobanSettings sokoban() {
    return SokobanSettings.preset(preset);
  }
}
