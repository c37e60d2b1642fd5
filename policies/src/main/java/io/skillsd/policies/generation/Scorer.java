package io.skillsd.policies.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-token log-probabilities of given sequences under a model, in batches (the teacher's job, and the
 * learner's {@code logpOld} when it was not kept from sampling). No gradient is recorded.
 */
public final class Scorer {
  private final CausalLm model;

  public Scorer(CausalLm model) {
    this.model = model;
  }

  /**
   * For each sequence, {@code logp[t] = log p(tokens[t] | tokens[<t])} at the given temperature, with
   * {@code logp[0] = 0}; same length as the sequence.
   */
  public List<float[]> score(List<int[]> sequences, float temperature) {
    TokenBatch batch = TokenBatch.unmasked(sequences);
    float[] flat;
    try (NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray logp = model.tokenLogProbs(batch.ids(m), temperature); // [B, T]
      flat = logp.toFloatArray();
    }
    List<float[]> out = new ArrayList<>();
    for (int b = 0; b < batch.rows(); b++) {
      out.add(Arrays.copyOfRange(flat, b * batch.width(), b * batch.width() + batch.length(b)));
    }
    return out;
  }
}
