package io.skillsd.policies.model;

import java.util.List;

/**
 * A summary of a loaded model for {@code skillsd model info}: architecture, size, stored dtypes, tokenizer.
 */
public record ModelInfo(
    String modelType,
    long parameters,
    int layers,
    int hiddenSize,
    int heads,
    int kvHeads,
    int headDim,
    int vocabSize,
    boolean tiedEmbeddings,
    List<String> storedDtypes,
    String tokenizer,
    String template,
    String device) {
  public ModelInfo {
    storedDtypes = List.copyOf(storedDtypes);
  }

  /** Human-readable lines, one fact per line. */
  public String summary() {
    return String.join("\n",
        "model_type: " + modelType,
        String.format("parameters: %,d", parameters),
        "layers: " + layers + ", hidden: " + hiddenSize + ", heads: " + heads + " (kv " + kvHeads + ", dim "
            + headDim + ")",
        "vocab: " + vocabSize + (tiedEmbeddings ? ", tied LM head" : ", untied LM head"),
        "stored dtype: " + (storedDtypes.isEmpty() ? "none (in memory)" : String.join(", ", storedDtypes))
            + " (computed in float32)",
        "tokenizer: " + tokenizer,
        "chat template: " + template,
        "device: " + device);
  }
}
