package io.skillsd.policies.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Global-norm clipping, AdamW and the non-finite guard, each against a plain-Java computation. */
class GradientOpsTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private ParameterList parameters(float[]... values) {
    ParameterList list = new ParameterList();
    for (int i = 0; i < values.length; i++) {
      Parameter p = Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT).build();
      NDArray a = manager.create(values[i], new Shape(values[i].length));
      a.setRequiresGradient(true);
      p.setArray(a);
      list.add("p" + i, p);
    }
    return list;
  }

  /** Sets each parameter's gradient to {@code g[i]} through backward of Σ_i Σ_j w_ij·g_ij. */
  private void setGradients(ParameterList list, float[]... g) {
    for (Pair<String, Parameter> p : list) {
      p.getValue().getArray().getGradient().muli(0f);
    }
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = manager.zeros(new Shape());
      for (int i = 0; i < g.length; i++) {
        loss = loss.add(list.get(i).getValue().getArray().mul(manager.create(g[i])).sum());
      }
      gc.backward(loss);
    }
  }

  private static float[] grad(ParameterList list, int i) {
    return list.get(i).getValue().getArray().getGradient().toFloatArray();
  }

  @Test
  void globalNormClippingScalesEveryGradientByTheSameFactor() {
    ParameterList list = parameters(new float[] {0, 0}, new float[] {0, 0, 0});
    float[] g0 = {3, -4};
    float[] g1 = {12, 0, 0};
    setGradients(list, g0, g1);
    double total = Math.sqrt(9 + 16 + 144); // 13
    double norm = GlobalNormClipping.clip(list, 6.5);
    assertEquals(total, norm, 1e-5);
    double scale = 6.5 / total; // 0.5: each gradient is halved, direction kept
    for (int j = 0; j < 2; j++) {
      assertEquals(g0[j] * scale, grad(list, 0)[j], 1e-5);
    }
    for (int j = 0; j < 3; j++) {
      assertEquals(g1[j] * scale, grad(list, 1)[j], 1e-5);
    }
    assertEquals(6.5, GlobalNormClipping.globalNorm(list), 1e-5);
    // below the threshold nothing changes
    assertEquals(6.5, GlobalNormClipping.clip(list, 100), 1e-5);
    assertEquals(g0[0] * scale, grad(list, 0)[0], 1e-5);
    assertThrows(IllegalArgumentException.class, () -> GlobalNormClipping.clip(list, 0));
  }

  @Test
  void adamWMatchesThePlainJavaUpdate() {
    float[] w0 = {0.5f, -1.0f, 2.0f};
    ParameterList list = parameters(w0.clone());
    float[][] grads = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.0f, 1.0f}, {0.2f, 0.2f, -0.5f}};
    double[] lrs = {0.1, 0.05, 0.2};
    AdamW.Settings s = new AdamW.Settings(0.9, 0.99, 1e-8, 0.1);
    double[] w = {w0[0], w0[1], w0[2]};
    double[] m = new double[3];
    double[] v = new double[3];
    try (AdamW adamW = new AdamW(manager, s)) {
      for (int k = 0; k < 3; k++) {
        setGradients(list, grads[k]);
        adamW.step(list, lrs[k]);
        int t = k + 1;
        for (int j = 0; j < 3; j++) {
          double g = grads[k][j];
          w[j] *= 1 - lrs[k] * s.weightDecay();
          m[j] = s.beta1() * m[j] + (1 - s.beta1()) * g;
          v[j] = s.beta2() * v[j] + (1 - s.beta2()) * g * g;
          double mHat = m[j] / (1 - Math.pow(s.beta1(), t));
          double vHat = v[j] / (1 - Math.pow(s.beta2(), t));
          w[j] -= lrs[k] * mHat / (Math.sqrt(vHat) + s.epsilon());
        }
        float[] got = list.get(0).getValue().getArray().toFloatArray();
        for (int j = 0; j < 3; j++) {
          assertEquals(w[j], got[j], 1e-5, "step " + t + " coordinate " + j);
        }
      }
      assertEquals(3, adamW.steps());
    }
  }

  @Test
  void guardSkipsNonFiniteStepsAndStopsAfterN() {
    NonFiniteGuard guard = new NonFiniteGuard(3);
    assertTrue(guard.admit(0, 1.0, 0.5));
    assertFalse(guard.admit(1, Double.NaN, 0.5));
    assertFalse(guard.admit(2, 1.0, Double.POSITIVE_INFINITY));
    assertTrue(guard.admit(3, 1.0, 0.5)); // a finite step resets the count
    assertEquals(0, guard.consecutive());
    assertFalse(guard.admit(4, Double.NaN, Double.NaN));
    assertFalse(guard.admit(5, Double.NaN, Double.NaN));
    NonFiniteUpdateException e =
        assertThrows(NonFiniteUpdateException.class, () -> guard.admit(6, Double.NaN, Double.NaN));
    assertTrue(e.getMessage().contains("3 consecutive"), e.getMessage());
    assertEquals(5, guard.skippedTotal());
  }
}
