package io.skillsd.policies.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.policies.checkpoint.CheckpointFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A HuggingFace {@code tokenizer.json} run by DJL's tokenizers binding (native library from its jar; no
 * network). No special tokens are added implicitly, nothing is truncated or padded: chat templates place
 * every special token themselves.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, Integer> vocab;
  private final int vocabSize;
  private final Path file;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> vocab, Path file) {
    this.tokenizer = tokenizer;
    this.vocab = vocab;
    this.vocabSize = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    this.file = file;
  }

  /** Loads {@code tokenizer.json}; a missing or unreadable file is a {@link CheckpointFormatException}. */
  public static HfTokenizer load(Path tokenizerJson) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new CheckpointFormatException(tokenizerJson, "missing tokenizer.json");
    }
    Map<String, Integer> vocab = new HashMap<>();
    try {
      JsonNode root = JSON.readTree(tokenizerJson.toFile());
      JsonNode model = root.path("model").path("vocab");
      if (model.isObject()) {
        for (Map.Entry<String, JsonNode> e : model.properties()) {
          vocab.put(e.getKey(), e.getValue().asInt());
        }
      }
      for (JsonNode added : root.path("added_tokens")) {
        vocab.put(added.path("content").asText(), added.path("id").asInt());
      }
      HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson)
          .optAddSpecialTokens(false)
          .optTruncation(false)
          .optPadding(false)
          .build();
      return new HfTokenizer(tok, Map.copyOf(vocab), tokenizerJson);
    } catch (IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      throw new CheckpointFormatException(tokenizerJson,
          "cannot load tokenizer: " + message.lines().findFirst().orElse(message));
    }
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, false);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public Optional<Integer> tokenId(String token) {
    return Optional.ofNullable(vocab.get(token));
  }

  @Override
  public String describe() {
    return "HuggingFace tokenizer " + file.getFileName() + " (" + vocabSize + " tokens)";
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
