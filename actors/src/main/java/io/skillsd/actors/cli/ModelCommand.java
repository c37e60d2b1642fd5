package io.skillsd.actors.cli;

import io.skillsd.actors.serve.ApiError;
import io.skillsd.actors.serve.ChatMessage;
import io.skillsd.actors.serve.ChatModel;
import io.skillsd.actors.serve.ChatRequest;
import io.skillsd.actors.serve.ChatResult;
import io.skillsd.policies.model.ModelConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skillsd model}: inspect a checkpoint and sample from it. */
@Command(name = "model", description = "Inspect a model checkpoint or sample a reply from it.",
    subcommands = {ModelCommand.Info.class, ModelCommand.Generate.class})
final class ModelCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (info, generate)");
  }

  /** Opens {@code builtin:<size>} or a directory, with one-line errors. */
  static ChatModel open(String model) {
    if (!model.startsWith(ChatModel.BUILTIN_PREFIX) && !Files.isDirectory(Path.of(model))) {
      throw new UserError("no such checkpoint directory: " + model, 2);
    }
    return ServeCommand.open(model);
  }

  /** {@code skillsd model info <dir>}: parameters, configuration, stored dtype, tokenizer, chat template. */
  @Command(name = "info", description = "Print a checkpoint's parameters, configuration, dtype and tokenizer.",
      footer = {"", "Examples:", "  skillsd model info runs/<id>/checkpoints/final", "  skillsd model info builtin:tiny"})
  static final class Info implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A checkpoint directory, or builtin:tiny / builtin:base / builtin:small10m.")
    String model;

    @Override
    public Integer call() {
      try (ChatModel chat = open(model)) {
        ModelConfig c = chat.languageModel().model().config();
        PrintWriter out = spec.commandLine().getOut();
        out.println("model: " + model);
        out.println(chat.info().summary());
        out.println(String.format(Locale.ROOT,
            "config: intermediate %d, rope_theta %.1f, rms_norm_eps %.1e, attention_bias %b, context %d",
            c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), c.attentionBias(), c.maxPositionEmbeddings()));
        out.flush();
      }
      return 0;
    }
  }

  /** {@code skillsd model generate <dir> --prompt …}: one reply in the model's chat format. */
  @Command(name = "generate", description = "Sample one reply to a prompt in the model's chat format.",
      footer = {"", "Examples:",
          "  skillsd model generate runs/<id>/checkpoints/final --prompt \"Push the box right\" --temperature 0",
          "  skillsd model generate builtin:tiny --system \"You play Sokoban.\" --prompt \"Move\" --max-tokens 16"})
  static final class Generate implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A checkpoint directory, or builtin:tiny / builtin:base / builtin:small10m.")
    String model;

    @Option(names = "--prompt", required = true, description = "The user message.")
    String prompt;

    @Option(names = "--system", defaultValue = "", description = "The system message (default: none).")
    String system;

    @Option(names = "--max-tokens", defaultValue = "128", description = "The most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature, 0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass in (0, 1] (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed: same model, prompt and seed give the same reply (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--usage", description = "Also print token counts and why generation stopped (to stderr).")
    boolean usage;

    @Override
    public Integer call() {
      List<ChatMessage> messages = new ArrayList<>();
      if (!system.isEmpty()) {
        messages.add(new ChatMessage(ChatMessage.Role.SYSTEM, system));
      }
      messages.add(new ChatMessage(ChatMessage.Role.USER, prompt));
      ChatRequest request;
      try {
        request = new ChatRequest(Optional.empty(), messages, OptionalInt.of(maxTokens), temperature, topP,
            OptionalLong.of(seed), List.of());
      } catch (ApiError e) {
        throw new UserError(e.getMessage().replace("max_tokens", "--max-tokens").replace("top_p", "--top-p")
            .replace("temperature", "--temperature"), 2);
      }
      try (ChatModel chat = open(model)) {
        ChatResult r;
        try {
          r = chat.complete(request, maxTokens, seed);
        } catch (ApiError e) {
          throw new UserError(e.getMessage(), 2);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.content());
        out.flush();
        if (usage) {
          spec.commandLine().getErr().printf("prompt %d tokens, completion %d tokens, finish %s%n", r.promptTokens(),
              r.completionTokens(), r.finishReason().apiName());
        }
      }
      return 0;
    }
  }
}
