package io.skillsd.policies.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Attention over a batch split into groups of rows is the attention of the whole batch, bit for bit. */
class AttentionGroupsTest {

  private static NDArray random(NDManager m, SplittableRandom rng, long... shape) {
    float[] data = new float[(int) new Shape(shape).size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rng.nextGaussian();
    }
    return m.create(data, new Shape(shape));
  }

  /**
   * A causal bias [rows, 1, G·T, S] (each query position's row once per query head of a KV head) whose rows mask
   * a different number of leading (padding) keys.
   */
  private static NDArray bias(NDManager m, int rows, int g, int t, int s) {
    float[] bias = new float[rows * g * t * s];
    for (int r = 0; r < rows; r++) {
      for (int head = 0; head < g; head++) {
        for (int i = 0; i < t; i++) {
          for (int j = 0; j < s; j++) {
            boolean visible = j <= s - t + i && (j >= r || j == s - t + i);
            bias[((r * g + head) * t + i) * s + j] = visible ? 0f : -1e9f;
          }
        }
      }
    }
    return m.create(bias, new Shape(rows, 1, g * t, s));
  }

  @Test
  void groupsOfRowsGiveTheWholeBatchResult() {
    SplittableRandom rng = new SplittableRandom(11);
    int b = 3;
    int h = 4;
    int kvh = 2;
    int t = 130;
    int d = 16;
    try (NDManager m = NDManager.newBaseManager()) {
      // As the model makes them: q [B, T, H, D] transposed to [B, H, T, D] (not contiguous); keys and values
      // of a prefill likewise, or a cache's [B, KV, S, D] holding earlier slots too.
      NDArray q = random(m, rng, b, t, h, d).transpose(0, 2, 1, 3);
      NDArray[][] keysAndValues = {
          {random(m, rng, b, t, kvh, d).transpose(0, 2, 1, 3), random(m, rng, b, t, kvh, d).transpose(0, 2, 1, 3)},
          {random(m, rng, b, kvh, t + 16, d), random(m, rng, b, kvh, t + 16, d)}};
      for (NDArray[] kv : keysAndValues) {
        int s = (int) kv[0].getShape().get(2);
        for (NDArray bias : new NDArray[] {bias(m, b, h / kvh, t, s), bias(m, 1, h / kvh, t, s)}) {
          float[] whole = CausalLm.attention(q, kv[0], kv[1], bias, 0.35f, Long.MAX_VALUE).toFloatArray();
          long perRow = (long) h * t * s;
          for (long budget : new long[] {1, 2 * perRow, 3 * perRow}) {
            NDArray grouped = CausalLm.attention(q, kv[0], kv[1], bias, 0.35f, budget);
            assertEquals(new Shape(b * kvh, h / kvh * t, d), grouped.getShape());
            assertArrayEquals(whole, grouped.toFloatArray(), "S = " + s + ", groups of " + Math.max(1, budget / perRow)
                + " rows");
          }
        }
      }
    }
  }

  /** The gradients of queries, keys and values through grouped attention are the whole batch's, bit for bit. */
  @Test
  void groupsOfRowsGiveTheWholeBatchGradients() {
    int b = 3;
    int h = 4;
    int kvh = 2;
    int t = 40;
    int d = 8;
    long perRow = (long) h * t * t;
    float[][] reference = null;
    for (long budget : new long[] {Long.MAX_VALUE, 1, 2 * perRow}) {
      try (NDManager m = NDManager.newBaseManager()) {
        SplittableRandom same = new SplittableRandom(12); // the same operands for every budget
        NDArray q = random(m, same, b, h, t, d);
        NDArray k = random(m, same, b, kvh, t, d);
        NDArray v = random(m, same, b, kvh, t, d);
        NDArray weights = random(m, same, b * kvh, h / kvh * t, d); // a loss that weighs every output differently
        NDArray bias = bias(m, b, h / kvh, t, t);
        for (NDArray x : new NDArray[] {q, k, v}) {
          x.setRequiresGradient(true);
        }
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
          NDArray out = CausalLm.attention(q, k, v, bias, 0.35f, budget);
          gc.backward(out.mul(weights).sum());
        }
        float[][] grads = {q.getGradient().toFloatArray(), k.getGradient().toFloatArray(), v.getGradient().toFloatArray()};
        if (reference == null) {
          reference = grads;
        } else {
          for (int i = 0; i < 3; i++) {
            assertArrayEquals(reference[i], grads[i], "gradient of " + "qkv".charAt(i) + ", budget " + budget);
          }
        }
      }
    }
  }
}
