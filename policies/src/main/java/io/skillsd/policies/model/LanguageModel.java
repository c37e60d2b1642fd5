package io.skillsd.policies.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.policies.checkpoint.CheckpointFormatException;
import io.skillsd.policies.checkpoint.Checkpoints;
import io.skillsd.policies.checkpoint.HostTensor;
import io.skillsd.policies.generation.Generation;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import io.skillsd.policies.prompt.ChatFormat;
import io.skillsd.policies.prompt.PromptStyle;
import io.skillsd.policies.prompt.StudentPrompt;
import io.skillsd.policies.prompt.Transcript;
import io.skillsd.policies.tokenizer.ChatTemplate;
import io.skillsd.policies.tokenizer.HfTokenizer;
import io.skillsd.policies.tokenizer.TextTokenizer;
import io.skillsd.policies.tokenizer.WordTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * A model with its tokenizer and chat format: what {@code skillsd model info|generate} and the actors load.
 *
 * <p>A checkpoint directory with {@code tokenizer.json} uses it through DJL's HuggingFace tokenizers and
 * ChatML when it knows {@code <|im_start|>}; one without uses the built-in {@link WordTokenizer} and the plain
 * template, provided its vocabulary is large enough.
 */
public final class LanguageModel implements AutoCloseable {
  /** skillsd's own file in a checkpoint directory: how the model is prompted ({@code prompt_style}). */
  public static final String SKILLSD_JSON = "skillsd.json";

  private final CausalLm model;
  private final ChatFormat format;
  private final List<String> storedDtypes;
  private final Path tokenizerSource;

  private LanguageModel(CausalLm model, ChatFormat format, List<String> storedDtypes, Path tokenizerSource) {
    this.model = model;
    this.format = format;
    this.storedDtypes = List.copyOf(storedDtypes);
    this.tokenizerSource = tokenizerSource;
  }

  /** Loads a checkpoint directory onto DJL's default device. */
  public static LanguageModel load(Path dir) {
    return load(dir, CausalLm.defaultDevice());
  }

  /** Loads a checkpoint directory onto a device. */
  public static LanguageModel load(Path dir, Device device) {
    return load(dir, device, readPromptStyle(dir));
  }

  /**
   * Loads a checkpoint directory onto a device, prompted in {@code style} rather than its stored style (a
   * pretraining stage that moves a model to another style; {@link #save} records the new one).
   */
  public static LanguageModel load(Path dir, Device device, PromptStyle style) {
    ModelConfig config = Checkpoints.readConfig(dir);
    Path tokenizerJson = dir.resolve("tokenizer.json");
    TextTokenizer tokenizer;
    if (Files.isRegularFile(tokenizerJson)) {
      tokenizer = HfTokenizer.load(tokenizerJson);
    } else {
      tokenizer = new WordTokenizer();
      if (tokenizer.vocabSize() > config.vocabSize()) {
        throw new CheckpointFormatException(tokenizerJson, "missing tokenizer.json (and vocab_size "
            + config.vocabSize() + " is too small for the built-in tokenizer's " + tokenizer.vocabSize() + ")");
      }
    }
    if (tokenizer.vocabSize() > config.vocabSize()) {
      throw new CheckpointFormatException(tokenizerJson, "tokenizer has " + tokenizer.vocabSize()
          + " tokens but vocab_size is " + config.vocabSize());
    }
    List<String> dtypes = Checkpoints.storedDtypes(dir);
    CausalLm model = Checkpoints.load(dir, device);
    ChatFormat format = new ChatFormat(tokenizer, ChatTemplate.forTokenizer(tokenizer), style);
    return new LanguageModel(model, format, dtypes, Files.isRegularFile(tokenizerJson) ? tokenizerJson : null);
  }

  /** A freshly initialized model of the given size with the built-in tokenizer, the plain template, full prompts. */
  public static LanguageModel builtIn(String size, long seed, Device device) {
    return builtIn(size, seed, device, PromptStyle.FULL);
  }

  /**
   * A freshly initialized model of the given size ({@code tiny}, {@code base}, {@code small10m}) with the
   * built-in tokenizer, the plain template and the given prompt style.
   */
  public static LanguageModel builtIn(String size, long seed, Device device, PromptStyle style) {
    WordTokenizer tokenizer = new WordTokenizer();
    ModelConfig config = ModelConfig.builtIn(size, tokenizer.vocabSize());
    return new LanguageModel(CausalLm.random(config, seed, device),
        new ChatFormat(tokenizer, new ChatTemplate.Plain(), style), List.of(), null);
  }

  /**
   * The prompt style a checkpoint was trained with: {@code prompt_style} in its {@value #SKILLSD_JSON}, full when
   * the file is absent (every HuggingFace checkpoint).
   */
  public static PromptStyle readPromptStyle(Path dir) {
    Path file = dir.resolve(SKILLSD_JSON);
    if (!Files.isRegularFile(file)) {
      return PromptStyle.FULL;
    }
    try {
      JsonNode n = new ObjectMapper().readTree(file.toFile());
      JsonNode style = n.get("prompt_style");
      return style == null ? PromptStyle.FULL : PromptStyle.parse(style.asText());
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointFormatException(file, e.getMessage());
    }
  }

  public CausalLm model() {
    return model;
  }

  public ChatFormat format() {
    return format;
  }

  public TextTokenizer tokenizer() {
    return format.tokenizer();
  }

  public ModelInfo info() {
    ModelConfig c = model.config();
    return new ModelInfo(c.modelType(), model.parameterCount(), c.numLayers(), c.hiddenSize(), c.numHeads(),
        c.numKvHeads(), c.headDim(), c.vocabSize(), c.tieWordEmbeddings(), storedDtypes,
        tokenizer().describe(), format.template().getClass().getSimpleName(), model.device().toString());
  }

  /** Samples one reply to a student prompt and returns its text (without the end-of-turn token). */
  public String generate(StudentPrompt prompt, float temperature, int maxNewTokens, long seed) {
    Transcript t = format.open(prompt);
    SamplingParams params = new SamplingParams(temperature, 1f, maxNewTokens, format.stopTokens(), seed);
    Generation g = new Generator(model).generate(List.of(new GenerationRequest(t.tokens(), params))).get(0);
    int[] tokens = g.tokens();
    int n = g.stopReason() == Generation.StopReason.STOP_TOKEN ? tokens.length - 1 : tokens.length;
    return tokenizer().decode(java.util.Arrays.copyOf(tokens, n));
  }

  /** Samples a reply to a bare user message with an empty system part. */
  public String generate(String userText, float temperature, int maxNewTokens, long seed) {
    return generate(new StudentPrompt("", userText), temperature, maxNewTokens, seed);
  }

  /**
   * Saves weights (float32) and config, the optimizer state when given, and the tokenizer files this model was
   * loaded with, so the directory loads here and in HuggingFace tools.
   */
  public void save(Path dir, Map<String, HostTensor> optimizerState) {
    Checkpoints.save(dir, model, optimizerState);
    try {
      Path marker = dir.resolve(SKILLSD_JSON);
      if (format.style() != PromptStyle.FULL) {
        Files.writeString(marker, "{\n  \"prompt_style\": \"" + format.style().id() + "\"\n}\n");
      } else {
        Files.deleteIfExists(marker);
      }
    } catch (IOException e) {
      throw new CheckpointFormatException(dir, "cannot write " + SKILLSD_JSON + ": " + e.getMessage());
    }
    if (tokenizerSource != null) {
      try {
        for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
          Path src = tokenizerSource.resolveSibling(name);
          if (Files.isRegularFile(src) && !src.toAbsolutePath().equals(dir.resolve(name).toAbsolutePath())) {
            Files.copy(src, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } catch (IOException e) {
        throw new CheckpointFormatException(dir, "cannot copy tokenizer files: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    model.close();
    if (tokenizer() instanceof HfTokenizer hf) {
      hf.close();
    }
  }
}
