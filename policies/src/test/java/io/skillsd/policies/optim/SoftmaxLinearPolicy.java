package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A small autoregressive policy for tests: sequences of T tokens over a vocabulary of V, the logits at
 * position t a DJL {@link Linear} block of the one-hot previous token (a begin token at t = 0). Small
 * enough to enumerate every sequence exactly, real enough to exercise the update step through DJL's
 * generic block and parameter APIs.
 */
final class SoftmaxLinearPolicy implements PolicyForward<int[]> {

  private static final long INIT_SEED = 20_261_126L;

  final int vocabulary;
  final int length;
  private final Block block;
  private final ParameterStore store;

  SoftmaxLinearPolicy(NDManager manager, int vocabulary, int length, float initStd) {
    this.vocabulary = vocabulary;
    this.length = length;
    this.block = Linear.builder().setUnits(vocabulary).build();
    block.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
    block.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
    block.initialize(manager, DataType.FLOAT32, new Shape(1, vocabulary + 1));
    if (initStd > 0) {
      // From a seeded stream, not the engine's: a test's starting point must not depend on how much of the
      // engine's random state the tests before it used.
      Random random = new Random(INIT_SEED);
      NDArray weight = block.getParameters().get("weight").getArray();
      float[] w = new float[(int) weight.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (random.nextGaussian() * initStd);
      }
      weight.set(w);
    }
    this.store = new ParameterStore(manager, false);
  }

  ParameterList parameters() {
    return block.getParameters();
  }

  @Override
  public PolicyOutput forward(NDManager manager, List<int[]> inputs, int maxLength) {
    int b = inputs.size();
    float[] x = new float[b * maxLength * (vocabulary + 1)];
    long[] y = new long[b * maxLength];
    for (int i = 0; i < b; i++) {
      int[] seq = inputs.get(i);
      for (int t = 0; t < maxLength; t++) {
        int row = i * maxLength + t;
        int prev = t == 0 ? vocabulary : seq[Math.min(t, seq.length) - 1];
        x[row * (vocabulary + 1) + prev] = 1;
        y[row] = t < seq.length ? seq[t] : 0;
      }
    }
    NDArray xs = manager.create(x, new Shape((long) b * maxLength, vocabulary + 1)); // [B·T, V+1]
    NDArray logits = block.forward(store, new NDList(xs), true).singletonOrThrow(); // [B·T, V]
    NDArray logp = logits.logSoftmax(-1); // [B·T, V]
    NDArray tokens = manager.create(y, new Shape((long) b * maxLength, 1)); // [B·T, 1]
    NDArray logpNew = logp.gather(tokens, 1).reshape(b, maxLength); // [B,T]
    return new PolicyOutput(logpNew, Optional.of(logits.reshape(b, maxLength, vocabulary)));
  }

  /** p[prev][v] = π_θ(v | previous token), prev = V for the first position; no gradient. */
  double[][] conditionals(NDManager manager) {
    try (NDManager m = manager.newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray eye = m.eye(vocabulary + 1); // [V+1, V+1]
      NDArray p = block.forward(store, new NDList(eye), false).singletonOrThrow().softmax(-1);
      float[] flat = p.toFloatArray();
      double[][] out = new double[vocabulary + 1][vocabulary];
      for (int r = 0; r <= vocabulary; r++) {
        for (int v = 0; v < vocabulary; v++) {
          out[r][v] = flat[r * vocabulary + v];
        }
      }
      return out;
    }
  }

  /** Per-token log-probabilities of {@code seq} under conditionals {@code p}. */
  static float[] tokenLogProbs(double[][] p, int[] seq) {
    float[] lp = new float[seq.length];
    int prev = p.length - 1;
    for (int t = 0; t < seq.length; t++) {
      lp[t] = (float) Math.log(p[prev][seq[t]]);
      prev = seq[t];
    }
    return lp;
  }

  static int[] sample(double[][] p, int length, Random random) {
    int[] seq = new int[length];
    int prev = p.length - 1;
    for (int t = 0; t < length; t++) {
      double u = random.nextDouble();
      int v = 0;
      double c = p[prev][0];
      while (u > c && v < p[prev].length - 1) {
        c += p[prev][++v];
      }
      seq[t] = v;
      prev = v;
    }
    return seq;
  }

  /** Every sequence of the given length, in lexicographic order. */
  static int[][] allSequences(int vocabulary, int length) {
    int n = (int) Math.pow(vocabulary, length);
    int[][] all = new int[n][length];
    for (int k = 0; k < n; k++) {
      int r = k;
      for (int t = length - 1; t >= 0; t--) {
        all[k][t] = r % vocabulary;
        r /= vocabulary;
      }
    }
    return all;
  }

  static double sequenceProbability(double[][] p, int[] seq) {
    double prob = 1;
    int prev = p.length - 1;
    for (int y : seq) {
      prob *= p[prev][y];
      prev = y;
    }
    return prob;
  }
}
