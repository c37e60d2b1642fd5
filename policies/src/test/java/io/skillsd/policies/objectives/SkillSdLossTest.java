package io.skillsd.policies.objectives;

import static io.skillsd.policies.objectives.Tensors.grad2d;
import static io.skillsd.policies.objectives.Tensors.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SkillSdLossTest {

  private NDManager manager;

  // B = 3, T = 2; row 2's task had no skill; row 1's last position is padding
  private final float[][] logpNew = {{-0.4f, -2.0f}, {-1.1f, -0.3f}, {-0.9f, -0.9f}};
  private final float[][] logpOld = {{-0.5f, -1.6f}, {-1.0f, -0.1f}, {-0.9f, -1.0f}};
  private final float[][] logpTeacher = {{-0.2f, -4.0f}, {-2.5f, 0f}, {0f, 0f}};
  private final float[][] mask = {{1, 1}, {1, 0}, {1, 1}};
  private final float[] skillMask = {1, 1, 0};

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private SkillSdLoss.Result compute(SkillSdLoss loss, NDArray x) {
    return loss.compute(
        x, matrix(manager, logpOld), matrix(manager, logpTeacher), matrix(manager, mask),
        manager.create(skillMask));
  }

  /** Plain-Java L_SDL: (1/N) Σ skill·mask·ρ·(e^{−ℓ} − 1 + ℓ), N = all loss tokens. */
  private double oracle(boolean withRho, double clip) {
    double sum = 0;
    double n = 0;
    for (int i = 0; i < 3; i++) {
      for (int t = 0; t < 2; t++) {
        n += mask[i][t];
        double rho = withRho ? Math.exp(logpNew[i][t] - logpOld[i][t]) : 1;
        double ell = logpNew[i][t] - logpTeacher[i][t];
        ell = Math.max(-clip, Math.min(clip, ell));
        sum += skillMask[i] * mask[i][t] * rho * (Math.exp(-ell) - 1 + ell);
      }
    }
    return sum / n;
  }

  @Test
  void matchesThePlainJavaFormulaAndMasksTasksWithoutSkill() {
    SkillSdLoss.Result r = compute(SkillSdLoss.paper(), matrix(manager, logpNew));
    assertEquals(oracle(true, Double.POSITIVE_INFINITY), r.loss().getFloat(), 1e-6);
    assertEquals(5, r.tokens());
    assertEquals(3, r.distilledTokens());
    double[] rho = {Math.exp(0.1), Math.exp(-0.4), Math.exp(-0.1)};
    assertEquals((rho[0] + rho[1] + rho[2]) / 3, r.meanRho(), 1e-6);
    assertEquals(rho[0], r.maxRho(), 1e-6);
    assertEquals((-0.2 + 2.0 + 1.4) / 3, r.meanEll(), 1e-6);
  }

  @Test
  void naiveK3DropsRho() {
    SkillSdLoss.Result r =
        compute(new SkillSdLoss(false, OptionalDouble.empty()), matrix(manager, logpNew));
    assertEquals(oracle(false, Double.POSITIVE_INFINITY), r.loss().getFloat(), 1e-6);
    assertEquals(1, r.meanRho(), 0);
  }

  @Test
  void ellClipBoundsTheValueAndTheGradient() {
    double c = 1.0;
    NDArray x = matrix(manager, logpNew);
    x.setRequiresGradient(true);
    SkillSdLoss.Result r;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      r = compute(new SkillSdLoss(true, OptionalDouble.of(c)), x);
      gc.backward(r.loss());
    }
    assertEquals(oracle(true, c), r.loss().getFloat(), 1e-6);
    assertEquals(2.0 / 3, r.ellClipFraction(), 1e-9); // ℓ = 2.0 and 1.4 are outside [−1, 1]
    // per token: d/dlogp [ρ·k3(clip ℓ)] = ρ·clip(ℓ) (straight-through), divided by N = 5
    float[][] g = grad2d(x);
    for (int i = 0; i < 3; i++) {
      for (int t = 0; t < 2; t++) {
        double rho = Math.exp(logpNew[i][t] - logpOld[i][t]);
        double ell = Math.max(-c, Math.min(c, logpNew[i][t] - logpTeacher[i][t]));
        assertEquals(skillMask[i] * mask[i][t] * rho * ell / 5, g[i][t], 1e-6);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new SkillSdLoss(true, OptionalDouble.of(0)));
  }

  @Test
  void perTokenGradientIsEllTimesGradLogPiAtThetaOld() {
    // a categorical policy π_θ = softmax(θ) over V = 4; θ = θ_old; one sampled token per y
    float[] theta0 = {0.3f, -0.2f, 1.1f, -0.7f};
    float[] teacherLogits = {-1f, 2f, 0.5f, 0f};
    double[] p = softmax(theta0);
    double[] q = softmax(teacherLogits);
    for (int y = 0; y < 4; y++) {
      NDArray theta = manager.create(theta0);
      theta.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logpY = theta.logSoftmax(0).get(y).reshape(1, 1); // [1,1]
        SkillSdLoss.Result r =
            SkillSdLoss.paper()
                .compute(
                    logpY, scalar(Math.log(p[y])),
                    scalar(Math.log(q[y])),
                    manager.ones(new Shape(1, 1)), manager.ones(new Shape(1)));
        assertEquals(1, r.meanRho(), 1e-6); // θ = θ_old
        gc.backward(r.loss());
      }
      double ell = Math.log(p[y]) - Math.log(q[y]);
      float[] g = theta.getGradient().toFloatArray();
      for (int v = 0; v < 4; v++) {
        double gradLogPi = (v == y ? 1 : 0) - p[v]; // ∇_θ log softmax(θ)_y
        assertEquals(ell * gradLogPi, g[v], 1e-5, "y=" + y + " v=" + v);
      }
    }
  }

  @Test
  void expectedGradientIsTheReverseKlGradientAtAnyThetaAndNaiveK3IsNot() {
    float[] thetaOld = {0f, 0f, 0f, 0f};
    float[] thetaNow = {1.0f, -0.5f, 0.3f, -1.2f}; // θ ≠ θ_old, as after a few minibatch steps
    float[] teacherLogits = {-1f, 2f, 0.5f, 0f};
    double[] pOld = softmax(thetaOld);
    double[] q = softmax(teacherLogits);

    double[] withRho = expectedGradient(SkillSdLoss.paper(), thetaNow, pOld, q);
    double[] naive = expectedGradient(new SkillSdLoss(false, OptionalDouble.empty()), thetaNow, pOld, q);

    // ∇_θ KL(π_θ ‖ π_tea) by central finite differences, in double
    double h = 1e-5;
    double[] fd = new double[4];
    for (int v = 0; v < 4; v++) {
      double[] tp = toDouble(thetaNow);
      double[] tm = toDouble(thetaNow);
      tp[v] += h;
      tm[v] -= h;
      fd[v] = (reverseKl(tp, q) - reverseKl(tm, q)) / (2 * h);
    }
    double gapRho = 0;
    double gapNaive = 0;
    for (int v = 0; v < 4; v++) {
      assertEquals(fd[v], withRho[v], 1e-5, "ρ-weighted, coordinate " + v);
      gapRho = Math.max(gapRho, Math.abs(withRho[v] - fd[v]));
      gapNaive = Math.max(gapNaive, Math.abs(naive[v] - fd[v]));
    }
    // the naive estimator's expected gradient is biased: here it misses by more than 0.1 per coordinate
    assertTrue(gapNaive > 0.1, "naive k3 gap " + gapNaive);
    assertTrue(gapNaive > 1000 * gapRho, "naive " + gapNaive + " vs rho " + gapRho);
  }

  /** E_{y ~ π_θold}[∇_θ L(y)], enumerating the V outcomes exactly. */
  private double[] expectedGradient(SkillSdLoss loss, float[] thetaNow, double[] pOld, double[] q) {
    double[] e = new double[thetaNow.length];
    for (int y = 0; y < thetaNow.length; y++) {
      NDArray theta = manager.create(thetaNow);
      theta.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logpY = theta.logSoftmax(0).get(y).reshape(1, 1);
        SkillSdLoss.Result r =
            loss.compute(
                logpY, scalar(Math.log(pOld[y])),
                scalar(Math.log(q[y])),
                manager.ones(new Shape(1, 1)), manager.ones(new Shape(1)));
        gc.backward(r.loss());
      }
      float[] g = theta.getGradient().toFloatArray();
      for (int v = 0; v < g.length; v++) {
        e[v] += pOld[y] * g[v];
      }
    }
    return e;
  }

  private NDArray scalar(double x) {
    return manager.create(new float[] {(float) x}, new Shape(1, 1)); // [1,1]
  }

  private static double reverseKl(double[] theta, double[] q) {
    double[] p = softmax(theta);
    double kl = 0;
    for (int v = 0; v < p.length; v++) {
      kl += p[v] * (Math.log(p[v]) - Math.log(q[v]));
    }
    return kl;
  }

  static double[] softmax(float[] logits) {
    return softmax(toDouble(logits));
  }

  static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l);
    }
    double z = 0;
    double[] p = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      z += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= z;
    }
    return p;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }
}
