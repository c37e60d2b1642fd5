package io.skillsd.policies.tokenizer;

/**
 * How a dialogue is laid out as text. Token-in, token-out: a template renders only the pieces that go
 * between turns, so earlier tokens (and sampled ones) are never re-tokenized.
 */
public sealed interface ChatTemplate permits ChatTemplate.ChatMl, ChatTemplate.Plain {

  /** The first prompt: system part, first user turn, and the header of the assistant's reply. */
  String open(String system, String user);

  /** What follows an assistant reply that ended with {@link #endOfTurn()}: the next user turn and header. */
  String next(String user);

  /** The string that ends an assistant turn (the model's stop token). */
  String endOfTurn();

  /** Picks the template for a tokenizer: ChatML when it knows {@code <|im_start|>}, else plain. */
  static ChatTemplate forTokenizer(TextTokenizer tokenizer) {
    return tokenizer instanceof HfTokenizer && tokenizer.tokenId("<|im_start|>").isPresent()
        ? new ChatMl() : new Plain();
  }

  /** Qwen's ChatML: {@code <|im_start|>role\n…<|im_end|>\n}. */
  record ChatMl() implements ChatTemplate {
    @Override
    public String open(String system, String user) {
      return "<|im_start|>system\n" + system + "<|im_end|>\n<|im_start|>user\n" + user
          + "<|im_end|>\n<|im_start|>assistant\n";
    }

    @Override
    public String next(String user) {
      return "\n<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n";
    }

    @Override
    public String endOfTurn() {
      return "<|im_end|>";
    }
  }

  /** The tiny model's template: {@code system: …\nuser: …\nassistant: }, turns ended by {@code <|im_end|>}. */
  record Plain() implements ChatTemplate {
    @Override
    public String open(String system, String user) {
      return "system: " + system + "\nuser: " + user + "\nassistant: ";
    }

    @Override
    public String next(String user) {
      return "\nuser: " + user + "\nassistant: ";
    }

    @Override
    public String endOfTurn() {
      return "<|im_end|>";
    }
  }
}
