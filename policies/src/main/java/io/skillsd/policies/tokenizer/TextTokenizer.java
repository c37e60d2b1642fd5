package io.skillsd.policies.tokenizer;

import java.util.Optional;

/**
 * Text ↔ token ids. Implementations are deterministic and thread-safe; {@code decode(encode(s))} returns
 * {@code s} for the built-in tokenizer and for byte-level HuggingFace tokenizers.
 */
public sealed interface TextTokenizer permits WordTokenizer, HfTokenizer {
  /** Token ids of {@code text}; special-token strings in the text map to their special ids. */
  int[] encode(String text);

  /** Text of token ids (special tokens included as their strings). */
  String decode(int[] ids);

  /** Number of ids (the model's vocabulary must be at least this large). */
  int vocabSize();

  /** The id of a single-token string such as {@code <|im_end|>}, if the vocabulary has one. */
  Optional<Integer> tokenId(String token);

  /** A one-line description for model summaries. */
  String describe();
}
