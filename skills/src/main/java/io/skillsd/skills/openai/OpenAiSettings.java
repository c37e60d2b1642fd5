package io.skillsd.skills.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach an OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp's server,
 * {@code ./skillsd serve}, a hosted API).
 *
 * @param baseUrl the server root ({@code http://127.0.0.1:8000}) or its {@code /v1} root
 *     ({@code https://api.example.com/v1}); requests go to {@code …/v1/chat/completions}
 * @param model the {@code model} field of each request
 * @param apiKey sent as {@code Authorization: Bearer …} when present
 * @param connectTimeout the most a TCP connect may take
 * @param requestTimeout the most one request may take, from send to the last byte
 * @param jsonMode whether to ask for {@code response_format: {"type": "json_object"}} (servers that support
 *     it then constrain decoding to JSON; some servers reject the field, so it is off by default)
 */
public record OpenAiSettings(
    URI baseUrl, String model, Optional<String> apiKey, Duration connectTimeout, Duration requestTimeout,
    boolean jsonMode) {

  public OpenAiSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an http or https URL with a host, was " + baseUrl);
    }
    if (baseUrl.getQuery() != null || baseUrl.getFragment() != null) {
      throw new IllegalArgumentException("baseUrl must not have a query or fragment, was " + baseUrl);
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /** {@code baseUrl} and {@code model}, no key, 5 s to connect, 120 s per request, no JSON mode. */
  public static OpenAiSettings of(String baseUrl, String model) {
    return new OpenAiSettings(URI.create(baseUrl), model, Optional.empty(), Duration.ofSeconds(5),
        Duration.ofSeconds(120), false);
  }

  public OpenAiSettings withApiKey(String key) {
    return new OpenAiSettings(baseUrl, model, Optional.of(key), connectTimeout, requestTimeout, jsonMode);
  }

  public OpenAiSettings withTimeouts(Duration connect, Duration request) {
    return new OpenAiSettings(baseUrl, model, apiKey, connect, request, jsonMode);
  }

  public OpenAiSettings withJsonMode(boolean on) {
    return new OpenAiSettings(baseUrl, model, apiKey, connectTimeout, requestTimeout, on);
  }

  /** The chat-completions URL: {@code …/v1/chat/completions} under {@link #baseUrl()}. */
  public URI chatCompletionsUrl() {
    String path = baseUrl.getPath() == null ? "" : baseUrl.getPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String suffix = path.endsWith("/v1") ? "/chat/completions" : "/v1/chat/completions";
    try {
      return new URI(baseUrl.getScheme(), baseUrl.getUserInfo(), baseUrl.getHost(), baseUrl.getPort(),
          path + suffix, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot build the chat-completions URL from " + baseUrl, e);
    }
  }
}
