package io.skillsd.policies.generation;

import java.util.List;

/**
 * How one row is sampled.
 *
 * @param temperature logits are divided by it; 0 means greedy (argmax)
 * @param topP nucleus sampling: sample among the most likely tokens whose probabilities sum to at least
 *     this (1 = the whole vocabulary)
 * @param maxNewTokens the most tokens to generate for this row
 * @param stopTokens the row stops after sampling any of these (the stop token is kept)
 * @param seed the row's random seed: same model, prompt and seed give the same tokens
 */
public record SamplingParams(float temperature, float topP, int maxNewTokens, List<Integer> stopTokens, long seed) {
  public SamplingParams {
    if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    }
    if (!(topP > 0f && topP <= 1f)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
    }
    stopTokens = List.copyOf(stopTokens);
  }

  /** Plain sampling at temperature 1 over the whole vocabulary. */
  public static SamplingParams sample(int maxNewTokens, List<Integer> stopTokens, long seed) {
    return new SamplingParams(1f, 1f, maxNewTokens, stopTokens, seed);
  }

  /** The temperature the reported log-probs are computed at (1 for greedy decoding). */
  public float scoringTemperature() {
    return temperature == 0f ? 1f : temperature;
  }
}
