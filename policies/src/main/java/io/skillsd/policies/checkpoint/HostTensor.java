package io.skillsd.policies.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A float32 tensor in Java memory: the unit the safetensors reader produces and the writer consumes.
 *
 * @param shape dimensions, outermost first
 * @param data row-major values; its length is the product of {@code shape}
 */
public record HostTensor(long[] shape, float[] data) {
  public HostTensor {
    shape = shape.clone();
    long n = numel(shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
    }
  }

  /** Copies a float32 array (e.g. an optimizer moment) to Java memory. */
  public static HostTensor of(NDArray array) {
    return new HostTensor(array.getShape().getShape(), array.toFloatArray());
  }

  /** This tensor as a new array owned by {@code manager}, on its device. */
  public NDArray toNDArray(NDManager manager) {
    return manager.create(data, new Shape(shape));
  }

  /** The number of elements of a shape (1 for a scalar). */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "HostTensor" + Arrays.toString(shape);
  }
}
