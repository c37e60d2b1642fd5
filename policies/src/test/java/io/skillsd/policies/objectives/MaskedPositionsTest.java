package io.skillsd.policies.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * Masked positions contribute nothing, not even NaN: a prompt position where log π_θ is very negative
 * next to a placeholder teacher log-prob of 0 (no skill) must leave the gradient finite and zero there.
 */
class MaskedPositionsTest {

  @Test
  void extremeMaskedLogProbsKeepGradientsFinite() {
    try (NDManager m = NDManager.newBaseManager()) {
      // position 0: a prompt token the model finds very unlikely (masked); position 1: a sampled token
      NDArray logpNew = m.create(new float[] {-120f, -1.2f, -150f, -0.7f}, new Shape(2, 2));
      NDArray logpOld = m.create(new float[] {0f, -1.0f, 0f, -0.9f}, new Shape(2, 2));
      NDArray logpTeacher = m.create(new float[] {0f, -0.8f, 0f, 0f}, new Shape(2, 2)); // row 1: no skill
      NDArray mask = m.create(new float[] {0f, 1f, 0f, 1f}, new Shape(2, 2));
      NDArray skillMask = m.create(new float[] {1f, 0f});
      NDArray adv = m.create(new float[] {1f, -1f});
      logpNew.setRequiresGradient(true);
      float sdl;
      float grpo;
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray a = SkillSdLoss.paper().compute(logpNew, logpOld, logpTeacher, mask, skillMask).loss();
        NDArray b = new GrpoLoss(0.2, 0.28, 0.0).compute(logpNew, logpOld, adv, mask).loss();
        sdl = a.getFloat();
        grpo = b.getFloat();
        gc.backward(a.add(b));
      }
      float[] g = logpNew.getGradient().toFloatArray();
      for (float x : g) {
        assertTrue(Float.isFinite(x), "finite gradient: " + java.util.Arrays.toString(g));
      }
      assertEquals(0f, g[0]);
      assertEquals(0f, g[2]);
      assertTrue(Float.isFinite(sdl) && Float.isFinite(grpo));
      // Only the distilled token of row 0 carries the SDL term: ℓ = −1.2 − (−0.8) = −0.4, ρ = e^{−0.2}.
      double rho = Math.exp(-0.2);
      double k3 = Math.exp(0.4) - 1 - 0.4;
      assertEquals(rho * k3 / 2, sdl, 1e-5);
    }
  }
}
