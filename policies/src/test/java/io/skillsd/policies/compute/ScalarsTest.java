package io.skillsd.policies.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A backward pass that runs after a garbage collection gets the same gradients as one that does not: no
 * operand autograd keeps may live in Java memory that a collection frees ({@link Scalars}).
 */
class ScalarsTest {

  /** Collects garbage, lets the cleaner free native buffers, and refills small freed blocks with 1234.5. */
  private static List<ByteBuffer> collectAndReuse() throws InterruptedException {
    for (int k = 0; k < 3; k++) {
      System.gc();
      Thread.sleep(20);
    }
    List<ByteBuffer> junk = new ArrayList<>();
    for (int k = 0; k < 4000; k++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4 + 4 * (k % 8)).order(ByteOrder.nativeOrder());
      while (b.remaining() >= 4) {
        b.putFloat(1234.5f);
      }
      junk.add(b);
    }
    return junk;
  }

  @Test
  void aProductsGradientSurvivesACollectionBetweenForwardAndBackward() throws Exception {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      for (int rep = 0; rep < 5; rep++) {
        try (NDManager s = m.newSubManager()) {
          NDArray x = s.create(new float[] {1f, 2f, 3f, 4f});
          x.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = x.mul(Scalars.of(s, 3f)).pow(Scalars.of(s, 2f)).sum(); // Σ (3x)²
            List<ByteBuffer> junk = collectAndReuse();
            gc.backward(loss);
            assertArrayEquals(new float[] {18f, 36f, 54f, 72f}, x.getGradient().toFloatArray(), "d/dx Σ(3x)² = 18x");
            junk.clear();
          }
        }
      }
    }
  }

  /** One training step's gradients of the policy model, with or without a collection before the backward. */
  private static double[] stepGradients(CausalLm model, boolean collect) throws Exception {
    int b = 3;
    int t = 12;
    long[] ids = new long[b * t];
    Random r = new Random(7);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 3 + r.nextInt(40);
    }
    double[] out;
    try (NDManager s = model.manager().newSubManager()) {
      NDArray x = s.create(ids, new Shape(b, t));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logp = model.tokenLogProbs(x, 0.7f); // a temperature, so its division is on the path too
        NDArray loss = logp.sum().neg();
        List<ByteBuffer> junk = collect ? collectAndReuse() : List.of();
        gc.backward(loss);
        junk.size();
      }
      Map<String, NDArray> p = model.parameters();
      out = new double[p.size()];
      int i = 0;
      for (NDArray w : p.values()) {
        double ss = 0;
        for (float g : w.getGradient().toFloatArray()) {
          ss += (double) g * g;
        }
        out[i++] = ss;
      }
    }
    model.zeroGradients();
    return out;
  }

  @Test
  void aTrainingStepsGradientsDoNotDependOnWhenTheGarbageCollectorRuns() throws Exception {
    try (CausalLm model = CausalLm.random(ModelConfig.tiny(64), 5, Device.cpu())) {
      model.setTrainable(true);
      double[] quiet = stepGradients(model, false);
      for (int rep = 0; rep < 3; rep++) {
        assertArrayEquals(quiet, stepGradients(model, true), "gradients after a collection, repetition " + rep);
      }
    }
  }
}
