package io.skillsd.policies.model;

import ai.djl.Device;
import io.skillsd.policies.checkpoint.CheckpointFormatException;
import io.skillsd.policies.checkpoint.Checkpoints;
import io.skillsd.policies.checkpoint.HostTensor;
import io.skillsd.policies.generation.Generation;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import io.skillsd.policies.prompt.ChatFormat;
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
    ChatFormat format = new ChatFormat(tokenizer, ChatTemplate.forTokenizer(tokenizer));
    return new LanguageModel(model, format, dtypes, Files.isRegularFile(tokenizerJson) ? tokenizerJson : null);
  }

  /** A freshly initialized model of the given size with the built-in tokenizer and the plain template. */
  public static LanguageModel builtIn(String size, long seed, Device device) {
    WordTokenizer tokenizer = new WordTokenizer();
    ModelConfig config = switch (size) {
      case "tiny" -> ModelConfig.tiny(tokenizer.vocabSize());
      case "small10m" -> ModelConfig.small10m(tokenizer.vocabSize());
      default -> throw new IllegalArgumentException("unknown built-in size '" + size + "'; allowed: tiny, small10m");
    };
    return new LanguageModel(CausalLm.random(config, seed, device),
        new ChatFormat(tokenizer, new ChatTemplate.Plain()), List.of(), null);
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
