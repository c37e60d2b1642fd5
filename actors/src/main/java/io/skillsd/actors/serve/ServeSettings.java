package io.skillsd.actors.serve;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ChatServer} listens and queues.
 *
 * @param host the address to bind (127.0.0.1 by default: the server has no authentication)
 * @param port the TCP port; 0 picks a free one
 * @param modelName the name clients use in {@code model} and {@code /v1/models} lists
 * @param queueCapacity requests that may wait for the model behind the one it is answering; more get 503
 * @param defaultMaxTokens the answer length when a request gives no {@code max_tokens}
 * @param responseDelay a delay added before each completion is sent (for testing clients' timeouts); zero
 *     in normal use
 * @param drainTimeout on shutdown, how long queued and running requests may take to finish
 */
public record ServeSettings(
    String host,
    int port,
    String modelName,
    int queueCapacity,
    int defaultMaxTokens,
    Duration responseDelay,
    Duration drainTimeout) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;
  public static final int DEFAULT_QUEUE_CAPACITY = 16;
  public static final int DEFAULT_MAX_TOKENS = 512;

  public ServeSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(responseDelay, "responseDelay");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
    }
    if (modelName.isBlank()) {
      throw new IllegalArgumentException("model name must not be blank");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, was " + queueCapacity);
    }
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("default max tokens must be at least 1, was " + defaultMaxTokens);
    }
    if (responseDelay.isNegative() || drainTimeout.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
  }

  /** 127.0.0.1:8000, queue 16, 512 tokens by default, no delay, 30 s to drain. */
  public static ServeSettings defaults(String modelName) {
    return new ServeSettings(DEFAULT_HOST, DEFAULT_PORT, modelName, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_TOKENS,
        Duration.ZERO, Duration.ofSeconds(30));
  }

  public ServeSettings withAddress(String host, int port) {
    return new ServeSettings(host, port, modelName, queueCapacity, defaultMaxTokens, responseDelay, drainTimeout);
  }

  public ServeSettings withQueueCapacity(int capacity) {
    return new ServeSettings(host, port, modelName, capacity, defaultMaxTokens, responseDelay, drainTimeout);
  }

  public ServeSettings withDefaultMaxTokens(int tokens) {
    return new ServeSettings(host, port, modelName, queueCapacity, tokens, responseDelay, drainTimeout);
  }

  public ServeSettings withResponseDelay(Duration delay) {
    return new ServeSettings(host, port, modelName, queueCapacity, defaultMaxTokens, delay, drainTimeout);
  }
}
