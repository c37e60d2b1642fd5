package io.skillsd.actors.serve;

import java.util.Objects;

/**
 * What the model answered to one request.
 *
 * @param content the assistant's text, without the end-of-turn token and cut before any stop string
 * @param promptTokens tokens of the rendered prompt
 * @param completionTokens tokens sampled for the answer (the end-of-turn token included when sampled; up to
 *     the one that completed a stop string when one was hit)
 * @param finishReason why it ended
 */
public record ChatResult(String content, int promptTokens, int completionTokens, FinishReason finishReason) {
  public ChatResult {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(finishReason, "finishReason");
    if (promptTokens < 1 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts out of range: prompt " + promptTokens + ", completion "
          + completionTokens);
    }
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
