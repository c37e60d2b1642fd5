package io.skillsd.skills.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skillsd.skills.summarizer.GenerationException;
import io.skillsd.skills.summarizer.GenerationException.Kind;
import io.skillsd.skills.summarizer.GenerationOptions;
import io.skillsd.skills.summarizer.TextGenerator;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * A client of an OpenAI-compatible {@code POST /v1/chat/completions} endpoint, non-streaming, with the JDK's
 * {@link HttpClient}. One call is one request: no retries here (the caller, e.g.
 * {@link io.skillsd.skills.summarizer.ModelSummarizer}, owns retries, back-off and the rate limit). Failures
 * complete the future with a {@link GenerationException}: timeouts ({@code TIMEOUT}), HTTP 429
 * ({@code RATE_LIMITED}, with {@code Retry-After} in seconds when sent), connection failures
 * ({@code UNAVAILABLE}), HTTP 5xx ({@code SERVER_ERROR}), other HTTP errors ({@code REJECTED}) and bodies
 * without {@code choices[0].message.content} ({@code BAD_RESPONSE}). Cancelling a returned future aborts its
 * request. Thread-safe.
 */
public final class OpenAiChatClient implements TextGenerator {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final int MAX_ERROR_BODY_CHARS = 300;

  private final OpenAiSettings settings;
  private final URI endpoint;
  private final HttpClient http;

  public OpenAiChatClient(OpenAiSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.endpoint = settings.chatCompletionsUrl();
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** {@code openai:<model>}: the name a summarizer over this client records in provenance. */
  public String name() {
    return "openai:" + settings.model();
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public CompletableFuture<String> generate(String systemPrompt, String userPrompt, GenerationOptions options) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(requestBody(systemPrompt, userPrompt, options),
            StandardCharsets.UTF_8));
    settings.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
    CompletableFuture<HttpResponse<String>> exchange =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    CompletableFuture<String> answer = exchange.handle((response, error) -> {
      if (error != null) {
        throw asGenerationFailure(error);
      }
      return content(response);
    });
    // Cancelling the answer (a caller's timeout) cancels the exchange, which the JDK client then aborts.
    answer.whenComplete((text, error) -> {
      if (answer.isCancelled()) {
        exchange.cancel(true);
      }
    });
    return answer;
  }

  /** The request body: model, system and user messages, max_tokens, temperature, stream false. */
  String requestBody(String systemPrompt, String userPrompt, GenerationOptions options) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", settings.model());
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", systemPrompt);
    messages.addObject().put("role", "user").put("content", userPrompt);
    body.put("max_tokens", options.maxTokens());
    body.put("temperature", options.temperature());
    body.put("stream", false);
    if (settings.jsonMode()) {
      body.putObject("response_format").put("type", "json_object");
    }
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialize", e);
    }
  }

  private String content(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 429) {
      Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(OpenAiChatClient::seconds)
          .orElse(null);
      throw new GenerationException(Kind.RATE_LIMITED, endpoint + " answered 429: " + excerpt(response.body()),
          retryAfter, null);
    }
    if (status >= 500) {
      throw new GenerationException(Kind.SERVER_ERROR, endpoint + " answered " + status + ": "
          + excerpt(response.body()));
    }
    if (status != 200) {
      throw new GenerationException(Kind.REJECTED, endpoint + " answered " + status + ": "
          + excerpt(response.body()));
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new GenerationException(Kind.BAD_RESPONSE, endpoint + " answered 200 with a body that is not JSON: "
          + excerpt(response.body()), null, e);
    }
    JsonNode content = root == null ? null : root.path("choices").path(0).path("message").path("content");
    if (content == null || !content.isTextual()) {
      throw new GenerationException(Kind.BAD_RESPONSE, endpoint
          + " answered 200 without choices[0].message.content: " + excerpt(response.body()));
    }
    return content.textValue();
  }

  private GenerationException asGenerationFailure(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof GenerationException g) {
      return g;
    }
    if (cause instanceof HttpTimeoutException) {
      return new GenerationException(Kind.TIMEOUT, endpoint + ": " + cause.getMessage(), null, cause);
    }
    if (cause instanceof ConnectException || cause instanceof IOException) {
      return new GenerationException(Kind.UNAVAILABLE, "cannot reach " + endpoint + ": " + cause, null, cause);
    }
    return new GenerationException(Kind.REJECTED, "request to " + endpoint + " failed: " + cause, null, cause);
  }

  private static Optional<Duration> seconds(String header) {
    try {
      long s = Long.parseLong(header.strip());
      return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // the HTTP-date form: fall back to our own back-off
    }
  }

  private static String excerpt(String body) {
    String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return text.length() <= MAX_ERROR_BODY_CHARS ? text : text.substring(0, MAX_ERROR_BODY_CHARS) + " […]";
  }
}
