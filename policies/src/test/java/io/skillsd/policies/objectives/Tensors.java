package io.skillsd.policies.objectives;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Small builders for hand-made test batches. */
final class Tensors {

  private Tensors() {}

  static NDArray matrix(NDManager m, float[][] rows) {
    int b = rows.length;
    int t = rows[0].length;
    float[] flat = new float[b * t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(rows[i], 0, flat, i * t, t);
    }
    return m.create(flat, new Shape(b, t));
  }

  static float[][] grad2d(NDArray x) {
    float[] g = x.getGradient().toFloatArray();
    int b = (int) x.getShape().get(0);
    int t = (int) x.getShape().get(1);
    float[][] out = new float[b][t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(g, i * t, out[i], 0, t);
    }
    return out;
  }
}
