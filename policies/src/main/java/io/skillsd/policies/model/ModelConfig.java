package io.skillsd.policies.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skillsd.policies.checkpoint.CheckpointFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The shape of a Qwen2/Qwen3-family decoder, as read from a HuggingFace {@code config.json}.
 *
 * <p>{@code qwen2} has biases on the q/k/v projections; {@code qwen3} has per-head RMSNorm on q and k and
 * biases on all four attention projections only when {@code attention_bias} is true. {@code headDim} may
 * differ from {@code hiddenSize / numHeads} (Qwen3 sets it explicitly).
 */
public record ModelConfig(
    String modelType,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    double ropeTheta,
    double rmsNormEps,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    int maxPositionEmbeddings) {

  /** The architectures this decoder implements, by {@code model_type}. */
  public static final List<String> SUPPORTED_TYPES = List.of("qwen2", "qwen3");

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelConfig {
    if (!SUPPORTED_TYPES.contains(modelType)) {
      throw new IllegalArgumentException(
          "unknown model_type '" + modelType + "'; supported: " + String.join(", ", SUPPORTED_TYPES));
    }
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", numLayers);
    positive("num_attention_heads", numHeads);
    positive("num_key_value_heads", numKvHeads);
    positive("head_dim", headDim);
    positive("max_position_embeddings", maxPositionEmbeddings);
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException("num_attention_heads (" + numHeads
          + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
    }
    if (!(ropeTheta > 0) || !(rmsNormEps > 0)) {
      throw new IllegalArgumentException("rope_theta and rms_norm_eps must be positive");
    }
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
  }

  /** Qwen3 normalizes q and k per head before the rotary embedding. */
  public boolean qkNorm() {
    return modelType.equals("qwen3");
  }

  /** Whether q/k/v projections carry a bias (always for Qwen2, by {@code attention_bias} for Qwen3). */
  public boolean qkvBias() {
    return modelType.equals("qwen2") || attentionBias;
  }

  /** Whether the output projection carries a bias (Qwen3 with {@code attention_bias} only). */
  public boolean outputBias() {
    return modelType.equals("qwen3") && attentionBias;
  }

  /** The built-in CPU model: 2 layers, width 64, GQA 4:2 heads of 16, Qwen3 layout, tied head. */
  public static ModelConfig tiny(int vocabSize) {
    return new ModelConfig("qwen3", vocabSize, 64, 176, 2, 4, 2, 16, 10_000.0, 1e-6, true, false, 4096);
  }

  /** A built-in size ({@code tiny}, {@code base}, {@code small10m}) for a vocabulary; one-line error otherwise. */
  public static ModelConfig builtIn(String size, int vocabSize) {
    return switch (size) {
      case "tiny" -> tiny(vocabSize);
      case "base" -> base(vocabSize);
      case "small10m" -> small10m(vocabSize);
      default -> throw new IllegalArgumentException(
          "unknown built-in size '" + size + "'; allowed: tiny, base, small10m");
    };
  }

  /**
   * The base agent's size: 4 layers, width 128, 4 query heads over 2 KV heads of 32, SwiGLU width 384
   * (about 0.8M parameters with the built-in tokenizer).
   */
  public static ModelConfig base(int vocabSize) {
    return new ModelConfig("qwen3", vocabSize, 128, 384, 4, 4, 2, 32, 10_000.0, 1e-6, true, false, 4096);
  }

  /** A ~10M-parameter model for benchmarks: 6 layers, width 384, 6 query heads over 2 KV heads of 64. */
  public static ModelConfig small10m(int vocabSize) {
    return new ModelConfig("qwen3", vocabSize, 384, 1024, 6, 6, 2, 64, 10_000.0, 1e-6, true, false, 4096);
  }

  /** Reads {@code config.json}; every problem names the file and the key. */
  public static ModelConfig read(Path configJson) {
    String text;
    try {
      text = Files.readString(configJson);
    } catch (NoSuchFileException e) {
      throw new CheckpointFormatException(configJson, "missing config.json");
    } catch (IOException e) {
      throw new CheckpointFormatException(configJson, "cannot read: " + e.getMessage());
    }
    try {
      return parse(text);
    } catch (IOException | IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      throw new CheckpointFormatException(configJson, message.lines().findFirst().orElse(message));
    }
  }

  /** Parses the text of a HuggingFace {@code config.json}. */
  public static ModelConfig parse(String json) throws IOException {
    JsonNode n = JSON.readTree(json);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("config.json is not a JSON object");
    }
    String type = text(n, "model_type");
    if (!SUPPORTED_TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "unknown model_type '" + type + "'; supported: " + String.join(", ", SUPPORTED_TYPES));
    }
    String act = n.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new IllegalArgumentException("hidden_act '" + act + "' is not supported; supported: silu");
    }
    JsonNode scaling = n.path("rope_scaling");
    if (!scaling.isMissingNode() && !scaling.isNull()) {
      String kind = scaling.path("rope_type").asText(scaling.path("type").asText("default"));
      if (!kind.equals("default")) {
        throw new IllegalArgumentException("rope_scaling type '" + kind + "' is not supported; supported: none");
      }
    }
    int hidden = integer(n, "hidden_size");
    int heads = integer(n, "num_attention_heads");
    int headDim = n.hasNonNull("head_dim") ? integer(n, "head_dim") : hidden / heads;
    return new ModelConfig(
        type,
        integer(n, "vocab_size"),
        hidden,
        integer(n, "intermediate_size"),
        integer(n, "num_hidden_layers"),
        heads,
        n.hasNonNull("num_key_value_heads") ? integer(n, "num_key_value_heads") : heads,
        headDim,
        n.path("rope_theta").asDouble(10_000.0),
        n.path("rms_norm_eps").asDouble(1e-6),
        n.path("tie_word_embeddings").asBoolean(false),
        n.path("attention_bias").asBoolean(false),
        n.path("max_position_embeddings").asInt(32_768));
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing or non-text key '" + key + "'");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new IllegalArgumentException("missing or non-integer key '" + key + "'");
    }
    return v.asInt();
  }

  /** This configuration as a HuggingFace {@code config.json}, readable by {@link #parse}. */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("architectures").add(modelType.equals("qwen2") ? "Qwen2ForCausalLM" : "Qwen3ForCausalLM");
    n.put("model_type", modelType);
    n.put("vocab_size", vocabSize);
    n.put("hidden_size", hiddenSize);
    n.put("intermediate_size", intermediateSize);
    n.put("num_hidden_layers", numLayers);
    n.put("num_attention_heads", numHeads);
    n.put("num_key_value_heads", numKvHeads);
    n.put("head_dim", headDim);
    n.put("rope_theta", ropeTheta);
    n.put("rms_norm_eps", rmsNormEps);
    n.put("tie_word_embeddings", tieWordEmbeddings);
    n.put("attention_bias", attentionBias);
    n.put("max_position_embeddings", maxPositionEmbeddings);
    n.put("hidden_act", "silu");
    n.put("torch_dtype", "float32");
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
