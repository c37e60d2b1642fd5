package io.skillsd.actors.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.skillsd.policies.compute.GradMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server for one {@link ChatModel}, on the JDK's {@code HttpServer}.
 *
 * <p>Routes: {@code POST /v1/chat/completions}, {@code GET /v1/models}, {@code GET /v1/models/<name>},
 * {@code GET /health}. Errors are OpenAI error objects with the HTTP status: 400 for a bad request, 404 for an
 * unknown route or model, 405 for a wrong method (with {@code Allow}), 413 for a body over 8 MiB, 503 when the
 * queue is full or the server is shutting down (with {@code Retry-After}), 500 when the model fails.
 *
 * <p>Threads: a few HTTP threads read and validate requests; every completion then runs on one model thread
 * (the model is single-threaded), in arrival order, behind at most {@link ServeSettings#queueCapacity()}
 * waiting requests. The model thread writes the response, or hands it to a timer when a response delay is
 * set, so a delay never holds up the model.
 *
 * <p>{@link #close()} shuts down gracefully: new requests get 503, queued and running ones finish (up to
 * {@link ServeSettings#drainTimeout()}), then the listener stops. The model stays open; its owner closes it.
 */
public final class ChatServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 8 << 20;

  private final ChatModel model;
  private final ServeSettings settings;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final ThreadPoolExecutor modelThread;
  private final ScheduledExecutorService delays;
  private final long created = System.currentTimeMillis() / 1000;
  private final AtomicLong served = new AtomicLong();
  private final SplittableRandom seeds = new SplittableRandom();
  private volatile boolean closing;

  private ChatServer(ChatModel model, ServeSettings settings, HttpServer http) {
    this.model = model;
    this.settings = settings;
    this.http = http;
    this.httpThreads = Executors.newFixedThreadPool(4, daemon("skillsd-serve-http", false));
    this.modelThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(settings.queueCapacity()), daemon("skillsd-serve-model", true));
    this.delays = Executors.newSingleThreadScheduledExecutor(daemon("skillsd-serve-delay", false));
  }

  /**
   * Binds and starts serving.
   *
   * @throws IOException when the address cannot be bound (e.g. the port is taken)
   */
  public static ChatServer start(ChatModel model, ServeSettings settings) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
    ChatServer server = new ChatServer(model, settings, http);
    http.createContext("/", server::handle);
    http.setExecutor(server.httpThreads);
    http.start();
    LOG.info("serving {} ({}) at {}", settings.modelName(), model.source(), server.baseUrl());
    return server;
  }

  /** The port actually bound (the chosen one when the settings asked for 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** {@code http://host:port}: the base URL for OpenAI clients (they add {@code /v1/...}). */
  public URI baseUrl() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return URI.create("http://" + host + ":" + port());
  }

  public ServeSettings settings() {
    return settings;
  }

  /** Completions answered with 200 so far. */
  public long served() {
    return served.get();
  }

  private void handle(HttpExchange exchange) {
    try {
      String path = exchange.getRequestURI().getPath();
      while (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      String method = exchange.getRequestMethod();
      if (path.equals("/health")) {
        allow(method, "GET", exchange);
        send(exchange, 200, JSON.writeValueAsBytes(health()));
      } else if (path.equals("/v1/models")) {
        allow(method, "GET", exchange);
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        list.putArray("data").add(modelObject());
        send(exchange, 200, JSON.writeValueAsBytes(list));
      } else if (path.startsWith("/v1/models/")) {
        allow(method, "GET", exchange);
        String name = path.substring("/v1/models/".length());
        if (!name.equals(settings.modelName())) {
          throw unknownModel(name);
        }
        send(exchange, 200, JSON.writeValueAsBytes(modelObject()));
      } else if (path.equals("/v1/chat/completions")) {
        allow(method, "POST", exchange);
        onCompletion(exchange);
      } else {
        throw new ApiError(404, "invalid_request_error", "unknown route: " + method + " " + path
            + " (this server has POST /v1/chat/completions, GET /v1/models, GET /health)",
            Optional.empty(), Optional.of("unknown_url"));
      }
    } catch (ApiError e) {
      sendError(exchange, e);
    } catch (IOException | RuntimeException e) {
      LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      sendError(exchange, new ApiError(500, "server_error", "internal error: " + e, Optional.empty(),
          Optional.empty()));
    }
  }

  private void onCompletion(HttpExchange exchange) throws IOException {
    if (closing) {
      throw unavailable("the server is shutting down");
    }
    JsonNode body;
    try {
      body = JSON.readTree(readBody(exchange));
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage(), null);
    }
    ChatRequest request = ChatRequest.fromJson(body);
    if (request.model().isPresent() && !request.model().get().equals(settings.modelName())) {
      throw unknownModel(request.model().get());
    }
    int maxTokens = request.maxTokens().orElse(settings.defaultMaxTokens());
    long seed = request.seed().orElseGet(this::freshSeed);
    try {
      modelThread.execute(() -> answer(exchange, request, maxTokens, seed));
    } catch (RejectedExecutionException e) {
      throw unavailable(closing ? "the server is shutting down"
          : "the request queue is full (" + settings.queueCapacity() + " waiting); retry later");
    }
  }

  /** On the model thread: generate, then send now or after the configured delay. */
  private void answer(HttpExchange exchange, ChatRequest request, int maxTokens, long seed) {
    long start = System.nanoTime();
    int status;
    byte[] response;
    try {
      ChatResult result = model.complete(request, maxTokens, seed);
      response = JSON.writeValueAsBytes(completionObject(result));
      status = 200;
      served.incrementAndGet();
      LOG.info("completion: {} prompt + {} completion tokens, finish {}, {} ms", result.promptTokens(),
          result.completionTokens(), result.finishReason().apiName(), (System.nanoTime() - start) / 1_000_000);
    } catch (ApiError e) {
      status = e.status();
      response = errorBytes(e);
    } catch (IOException | RuntimeException e) {
      LOG.error("the model failed on a request", e);
      ApiError error = new ApiError(500, "server_error", "the model failed: " + e, Optional.empty(),
          Optional.empty());
      status = error.status();
      response = errorBytes(error);
    }
    int finalStatus = status;
    byte[] finalResponse = response;
    if (!settings.responseDelay().isZero()) {
      try {
        delays.schedule(() -> send(exchange, finalStatus, finalResponse), settings.responseDelay().toNanos(),
            TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException e) {
        // shutting down: answer without the delay
      }
    }
    send(exchange, finalStatus, finalResponse);
  }

  private ObjectNode completionObject(ChatResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-" + Long.toHexString(seeds())).put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000).put("model", settings.modelName());
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", r.content());
    choice.putNull("logprobs");
    choice.put("finish_reason", r.finishReason().apiName());
    root.putObject("usage").put("prompt_tokens", r.promptTokens()).put("completion_tokens", r.completionTokens())
        .put("total_tokens", r.totalTokens());
    return root;
  }

  private ObjectNode modelObject() {
    return JSON.createObjectNode().put("id", settings.modelName()).put("object", "model").put("created", created)
        .put("owned_by", "skillsd");
  }

  private ObjectNode health() {
    ObjectNode h = JSON.createObjectNode().put("status", closing ? "draining" : "ok")
        .put("model", settings.modelName()).put("source", model.source())
        .put("queued", modelThread.getQueue().size()).put("busy", modelThread.getActiveCount() > 0)
        .put("served", served.get());
    return h;
  }

  private static void allow(String method, String allowed, HttpExchange exchange) {
    if (!method.equals(allowed)) {
      exchange.getResponseHeaders().set("Allow", allowed);
      throw new ApiError(405, "invalid_request_error", "method " + method + " is not allowed on "
          + exchange.getRequestURI().getPath() + "; use " + allowed, Optional.empty(),
          Optional.of("method_not_allowed"));
    }
  }

  private ApiError unknownModel(String name) {
    return new ApiError(404, "invalid_request_error", "the model '" + name + "' does not exist; this server serves '"
        + settings.modelName() + "'", Optional.of("model"), Optional.of("model_not_found"));
  }

  private static ApiError unavailable(String message) {
    return new ApiError(503, "server_error", message, Optional.empty(), Optional.of("unavailable"));
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiError(413, "invalid_request_error", "the request body is over " + MAX_BODY_BYTES + " bytes",
            Optional.empty(), Optional.of("request_too_large"));
      }
      return body;
    }
  }

  private void sendError(HttpExchange exchange, ApiError e) {
    if (e.status() == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    send(exchange, e.status(), errorBytes(e));
  }

  private static byte[] errorBytes(ApiError e) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error").put("message", e.getMessage()).put("type", e.type());
    if (e.param().isPresent()) {
      error.put("param", e.param().get());
    } else {
      error.putNull("param");
    }
    if (e.code().isPresent()) {
      error.put("code", e.code().get());
    } else {
      error.putNull("code");
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      LOG.debug("client went away before the response ({}): {}", status, e.toString());
    }
  }

  private synchronized long freshSeed() {
    return seeds.nextLong();
  }

  private synchronized long seeds() {
    return seeds.nextLong() & Long.MAX_VALUE;
  }

  /** Stops gracefully: refuse new requests, let queued ones finish (bounded by the drain timeout), unbind. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    LOG.info("shutting down: {} queued request(s) to finish", modelThread.getQueue().size());
    modelThread.shutdown();
    try {
      long drain = settings.drainTimeout().toNanos();
      if (!modelThread.awaitTermination(drain, TimeUnit.NANOSECONDS)) {
        LOG.warn("requests still running after {} ms; stopping anyway", settings.drainTimeout().toMillis());
      }
      delays.shutdown();
      delays.awaitTermination(drain + settings.responseDelay().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.stop(0);
    httpThreads.shutdownNow();
    modelThread.shutdownNow();
    delays.shutdownNow();
    LOG.info("stopped after {} completion(s)", served.get());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name, boolean computes) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Runnable body = computes ? () -> {
        GradMode.offOnThisThread(); // sampling needs no autograd graph
        r.run();
      } : r;
      Thread t = new Thread(body, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
