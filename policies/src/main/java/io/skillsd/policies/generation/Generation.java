package io.skillsd.policies.generation;

import java.util.Arrays;

/**
 * What one row produced: the sampled tokens (the stop token included when there was one) and the
 * log-probability of each under the model at the sampling temperature, before top-p truncation — the same
 * value {@link Scorer} gives for these tokens after the same prompt.
 */
public record Generation(int[] tokens, float[] logProbs, StopReason stopReason) {
  /** Why a row stopped. */
  public enum StopReason {
    /** It sampled one of its stop tokens. */
    STOP_TOKEN,
    /** It reached its {@code maxNewTokens}. */
    MAX_TOKENS,
    /** It reached the model's context length. */
    CONTEXT_LENGTH
  }

  public Generation {
    if (tokens.length != logProbs.length) {
      throw new IllegalArgumentException("one log-prob per token");
    }
    tokens = tokens.clone();
    logProbs = logProbs.clone();
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public float[] logProbs() {
    return logProbs.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Generation g && Arrays.equals(tokens, g.tokens) && Arrays.equals(logProbs, g.logProbs)
        && stopReason == g.stopReason;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(logProbs);
  }

  @Override
  public String toString() {
    return "Generation" + Arrays.toString(tokens) + " " + stopReason;
  }
}
