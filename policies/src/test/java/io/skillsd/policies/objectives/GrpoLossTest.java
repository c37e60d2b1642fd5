package io.skillsd.policies.objectives;

import static io.skillsd.policies.objectives.Tensors.grad2d;
import static io.skillsd.policies.objectives.Tensors.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpoLossTest {

  private NDManager manager;

  // a hand-made batch: B = 2 trajectories, T = 3 positions, the last position of row 1 is padding
  private final float[][] logpNew = {{-0.5f, -1.0f, -2.0f}, {-0.2f, -3.0f, -0.1f}};
  private final float[][] logpOld = {{-0.7f, -0.9f, -2.0f}, {-0.1f, -2.5f, -5.0f}};
  private final float[][] mask = {{1, 1, 1}, {1, 1, 0}};
  private final float[] adv = {1.5f, -0.8f};

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** Plain-Java L_GRPO, straight from the formula. */
  private static double oracle(
      float[][] logpNew, float[][] logpOld, float[] adv, float[][] mask, double lo, double hi) {
    double sum = 0;
    double n = 0;
    for (int i = 0; i < logpNew.length; i++) {
      for (int t = 0; t < logpNew[i].length; t++) {
        double r = Math.exp(logpNew[i][t] - logpOld[i][t]);
        double clipped = Math.min(Math.max(r, 1 - lo), 1 + hi);
        sum += mask[i][t] * Math.min(r * adv[i], clipped * adv[i]);
        n += mask[i][t];
      }
    }
    return -sum / n;
  }

  @Test
  void matchesThePlainJavaFormula() {
    GrpoLoss grpo = new GrpoLoss(0.2, 0.28, 0);
    GrpoLoss.Result r =
        grpo.compute(
            matrix(manager, logpNew), matrix(manager, logpOld), manager.create(adv),
            matrix(manager, mask));
    assertEquals(oracle(logpNew, logpOld, adv, mask, 0.2, 0.28), r.loss().getFloat(), 1e-6);
    assertEquals(5, r.tokens());
    // r of the 5 tokens: e^0.2, e^-0.1, 1 (Â>0); e^-0.1, e^-0.5 (Â<0): only e^-0.5 = 0.61 < 0.8 is clipped
    assertEquals(1.0 / 5, r.clipFraction(), 1e-9);
    double meanRatio = (Math.exp(0.2) + Math.exp(-0.1) + 1 + Math.exp(-0.1) + Math.exp(-0.5)) / 5;
    assertEquals(meanRatio, r.meanRatio(), 1e-6);
  }

  @Test
  void referenceKlTermIsTheK3PenaltyWhenOn() {
    float[][] logpRef = {{-0.6f, -1.2f, -1.5f}, {-0.3f, -2.0f, -9.0f}};
    double beta = 0.05;
    double kl = 0;
    for (int i = 0; i < 2; i++) {
      for (int t = 0; t < 3; t++) {
        double x = logpRef[i][t] - logpNew[i][t];
        kl += mask[i][t] * (Math.exp(x) - x - 1);
      }
    }
    kl /= 5;
    GrpoLoss.Result r =
        new GrpoLoss(0.2, 0.28, beta)
            .compute(
                matrix(manager, logpNew), matrix(manager, logpOld), manager.create(adv),
                matrix(manager, mask), Optional.of(matrix(manager, logpRef)));
    assertEquals(kl, r.refKl(), 1e-6);
    assertEquals(
        oracle(logpNew, logpOld, adv, mask, 0.2, 0.28) + beta * kl, r.loss().getFloat(), 1e-6);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new GrpoLoss(0.2, 0.28, beta)
                .compute(
                    matrix(manager, logpNew), matrix(manager, logpOld), manager.create(adv),
                    matrix(manager, mask)));
  }

  @Test
  void clippingRemovesTheGradientOnlyOutsideTheRangeOnTheSideOfTheAdvantage() {
    // ratios across every region of [1 − 0.2, 1 + 0.28], for Â > 0 (row 0) and Â < 0 (row 1)
    double[] ratios = {0.6, 0.79, 0.81, 1.0, 1.27, 1.29, 1.6};
    int t = ratios.length;
    float[][] lpNew = new float[2][t];
    float[][] lpOld = new float[2][t];
    float[][] m = new float[2][t];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < t; j++) {
        lpOld[i][j] = -1f;
        lpNew[i][j] = (float) (-1 + Math.log(ratios[j]));
        m[i][j] = 1;
      }
    }
    float[] a = {2f, -3f};
    NDArray x = matrix(manager, lpNew);
    x.setRequiresGradient(true);
    GrpoLoss.Result r;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      r = new GrpoLoss(0.2, 0.28, 0).compute(x, matrix(manager, lpOld), manager.create(a), matrix(manager, m));
      gc.backward(r.loss());
    }
    float[][] g = grad2d(x);
    double n = 2 * t;
    int clipped = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < t; j++) {
        float rr = (float) Math.exp(lpNew[i][j] - lpOld[i][j]);
        boolean isClipped = a[i] > 0 ? rr > 1.28f : rr < 0.8f;
        // d/dlogp of −(1/N)·r·Â is −r·Â/N where the unclipped term is the min
        double expected = isClipped ? 0 : -rr * a[i] / n;
        assertEquals(expected, g[i][j], 1e-6, "row " + i + " ratio " + ratios[j]);
        clipped += isClipped ? 1 : 0;
      }
    }
    assertEquals(4, clipped); // 1.29 and 1.6 for Â > 0; 0.6 and 0.79 for Â < 0
    assertEquals(4.0 / n, r.clipFraction(), 1e-9);
  }

  @Test
  void allEqualGroupsContributeZeroGradient() {
    double[] advantages = Advantages.groupNormalized(new double[] {1, 1});
    NDArray x = matrix(manager, logpNew);
    x.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      GrpoLoss.Result r =
          new GrpoLoss(0.2, 0.28, 0)
              .compute(
                  x, matrix(manager, logpOld),
                  manager.create(new float[] {(float) advantages[0], (float) advantages[1]}),
                  matrix(manager, mask));
      assertEquals(0, r.loss().getFloat(), 0);
      gc.backward(r.loss());
    }
    for (float[] row : grad2d(x)) {
      for (float v : row) {
        assertEquals(0f, v, 0f);
      }
    }
  }

  @Test
  void emptyMaskGivesZeroNotNaN() {
    float[][] none = {{0, 0, 0}, {0, 0, 0}};
    GrpoLoss.Result r =
        new GrpoLoss(0.2, 0.28, 0)
            .compute(
                matrix(manager, logpNew), matrix(manager, logpOld), manager.create(adv),
                matrix(manager, none));
    assertEquals(0, r.loss().getFloat(), 0);
    assertEquals(0, r.tokens());
  }

  @Test
  void rejectsMismatchedShapes() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new GrpoLoss(0.2, 0.28, 0)
                .compute(
                    matrix(manager, logpNew), matrix(manager, logpOld),
                    manager.create(new float[] {1, 2, 3}), matrix(manager, mask)));
  }
}
