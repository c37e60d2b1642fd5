package io.skillsd.actors.cli;

import io.skillsd.actors.serve.ChatModel;
import io.skillsd.actors.serve.ChatServer;
import io.skillsd.actors.serve.ServeSettings;
import io.skillsd.policies.checkpoint.CheckpointFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skillsd serve}: an OpenAI-compatible chat-completions server for a policy checkpoint, until SIGINT
 * (Ctrl-C) or SIGTERM, which drain the queue and stop.
 */
@Command(name = "serve", description = "Serve a policy checkpoint over an OpenAI-compatible chat-completions API.",
    footer = {"", "Examples:",
        "  skillsd serve runs/<id>/checkpoints/final --model-name my-agent",
        "  curl -s http://127.0.0.1:8000/v1/chat/completions -H 'Content-Type: application/json' \\",
        "       -d '{\"messages\":[{\"role\":\"user\",\"content\":\"Push the box\"}],\"max_tokens\":32}'"})
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "A checkpoint directory (saved by skillsd, or a HuggingFace Qwen2/Qwen3 directory), or builtin:tiny.")
  String model;

  @Option(names = "--host", defaultValue = ServeSettings.DEFAULT_HOST,
      description = "Address to bind (default: ${DEFAULT-VALUE}; the API has no authentication).")
  String host;

  @Option(names = "--port", defaultValue = "" + ServeSettings.DEFAULT_PORT,
      description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--model-name", description = "The name clients send as 'model' (default: the directory's name).")
  String modelName;

  @Option(names = "--queue", defaultValue = "" + ServeSettings.DEFAULT_QUEUE_CAPACITY,
      description = "Requests that may wait for the model; more are answered 503 (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--default-max-tokens", defaultValue = "" + ServeSettings.DEFAULT_MAX_TOKENS,
      description = "Answer length when a request gives no max_tokens (default: ${DEFAULT-VALUE}).")
  int defaultMaxTokens;

  @Option(names = "--debug-delay", paramLabel = "DURATION", defaultValue = "0ms",
      description = "Delay every completion by this long (e.g. 500ms, 2s), to test clients' timeouts.")
  String debugDelay;

  @Override
  public Integer call() throws InterruptedException {
    ServeSettings settings = settings();
    if (!model.startsWith(ChatModel.BUILTIN_PREFIX) && !Files.isDirectory(Path.of(model))) {
      throw new UserError("no such checkpoint directory: " + model, 2);
    }
    ChatModel chat = open(model);
    ChatServer server;
    try {
      server = ChatServer.start(chat, settings);
    } catch (BindException e) {
      chat.close();
      throw new UserError("cannot listen on " + host + ":" + port + ": " + e.getMessage());
    } catch (IOException e) {
      chat.close();
      throw new UserError("cannot start the server on " + host + ":" + port + ": " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      chat.close();
      stopped.countDown();
    }, "skillsd-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("serving '%s' (%s) at %s/v1 — Ctrl-C to stop%n", settings.modelName(), model, server.baseUrl());
    out.flush();
    stopped.await();
    return 0;
  }

  /** Validates the options into settings; a bad value is a usage error (exit 2). */
  ServeSettings settings() {
    String name = modelName != null ? modelName : defaultName(model);
    try {
      return new ServeSettings(host, port, name, queue, defaultMaxTokens, parseDuration(debugDelay),
          Duration.ofSeconds(30));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
  }

  /** Opens a model; a bad checkpoint or built-in size is a one-line error. */
  static ChatModel open(String model) {
    try {
      return ChatModel.open(model);
    } catch (CheckpointFormatException e) {
      throw new UserError("cannot load the model: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
  }

  /** The served name: {@code tiny} for {@code builtin:tiny}, else the directory's last component. */
  static String defaultName(String model) {
    if (model.startsWith(ChatModel.BUILTIN_PREFIX)) {
      return model.substring(ChatModel.BUILTIN_PREFIX.length());
    }
    Path p = Path.of(model).toAbsolutePath().normalize();
    return p.getFileName() == null ? "model" : p.getFileName().toString();
  }

  /** {@code 250ms}, {@code 2s}, {@code 1m}, or a bare number of milliseconds. */
  static Duration parseDuration(String text) {
    String t = text.strip();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).strip()) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).strip()) * 60);
      }
      return Duration.ofMillis(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new UserError("--debug-delay: '" + text + "' is not a duration (e.g. 500ms, 2s)", 2);
    }
  }
}
