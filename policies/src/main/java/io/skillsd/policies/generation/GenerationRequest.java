package io.skillsd.policies.generation;

/**
 * One row of a generation batch: the prompt tokens (e.g. a whole transcript so far) and how to sample.
 *
 * @param prompt prompt token ids, at least one
 * @param params sampling parameters of this row
 */
public record GenerationRequest(int[] prompt, SamplingParams params) {
  public GenerationRequest {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("a prompt needs at least one token");
    }
    prompt = prompt.clone();
  }

  @Override
  public int[] prompt() {
    return prompt.clone();
  }

  int length() {
    return prompt.length;
  }

  int token(int i) {
    return prompt[i];
  }
}
