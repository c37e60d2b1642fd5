package io.skillsd.skills.summarizer;

/**
 * Decoding settings for one generation.
 *
 * @param maxTokens the most tokens to generate
 * @param temperature sampling temperature; 0 is greedy
 */
public record GenerationOptions(int maxTokens, double temperature) {
  public GenerationOptions {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
    }
    if (!(temperature >= 0.0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and >= 0, was " + temperature);
    }
  }

  /** 768 tokens at temperature 0.2: room for three short paragraphs, little randomness. */
  public static GenerationOptions defaults() {
    return new GenerationOptions(768, 0.2);
  }
}
