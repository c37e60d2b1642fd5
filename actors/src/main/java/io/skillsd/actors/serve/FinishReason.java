package io.skillsd.actors.serve;

/** Why a completion ended, as OpenAI names it in {@code finish_reason}. */
public enum FinishReason {
  /** The model ended its turn or produced one of the request's stop strings. */
  STOP("stop"),
  /** It reached {@code max_tokens} or the model's context length. */
  LENGTH("length");

  private final String apiName;

  FinishReason(String apiName) {
    this.apiName = apiName;
  }

  /** The value of {@code finish_reason}. */
  public String apiName() {
    return apiName;
  }
}
