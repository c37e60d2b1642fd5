package io.skillsd.actors.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A validated {@code POST /v1/chat/completions} body.
 *
 * <p>Supported: {@code model}, {@code messages} (system/developer, user and assistant; content as a string or
 * as text parts), {@code max_tokens} (or {@code max_completion_tokens}), {@code temperature} (0 = greedy),
 * {@code top_p}, {@code seed}, {@code stop} (a string or up to four), {@code n} = 1, {@code stream} = false,
 * {@code response_format} of type {@code text} or {@code json_object} (accepted; decoding is not
 * constrained). Other fields are ignored, as OpenAI-compatible servers commonly do.
 *
 * <p>The dialogue must be: optional system messages first, then user and assistant turns, starting and
 * ending with a user turn (consecutive messages of one role are joined).
 *
 * @param model the requested model name, if given
 * @param messages the dialogue
 * @param maxTokens the most tokens to generate, if given (else the server's default)
 * @param temperature sampling temperature in [0, 2]; 0 is greedy
 * @param topP nucleus mass in (0, 1]
 * @param seed the sampling seed, if given (else a fresh one per request)
 * @param stop strings that end the answer (not included in it)
 */
public record ChatRequest(
    Optional<String> model,
    List<ChatMessage> messages,
    OptionalInt maxTokens,
    double temperature,
    double topP,
    OptionalLong seed,
    List<String> stop) {

  /** The most stop strings a request may give (OpenAI's limit). */
  public static final int MAX_STOP = 4;

  public ChatRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(maxTokens, "maxTokens");
    Objects.requireNonNull(seed, "seed");
    messages = List.copyOf(messages);
    stop = List.copyOf(stop);
    if (maxTokens.isPresent() && maxTokens.getAsInt() < 1) {
      throw ApiError.badRequest("max_tokens must be at least 1, was " + maxTokens.getAsInt(), "max_tokens");
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      throw ApiError.badRequest("temperature must be between 0 and 2, was " + temperature, "temperature");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw ApiError.badRequest("top_p must be in (0, 1], was " + topP, "top_p");
    }
    if (stop.size() > MAX_STOP || stop.stream().anyMatch(String::isEmpty)) {
      throw ApiError.badRequest("stop must be a non-empty string or at most " + MAX_STOP
          + " non-empty strings", "stop");
    }
    checkOrder(messages);
  }

  /** Reads and validates a request body; every problem is a 400 {@link ApiError} naming the field. */
  public static ChatRequest fromJson(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("the request body must be a JSON object", null);
    }
    Optional<String> model = optionalText(body, "model");
    if (body.has("stream") && !body.get("stream").isNull()) {
      if (!body.get("stream").isBoolean()) {
        throw ApiError.badRequest("stream must be a boolean", "stream");
      }
      if (body.get("stream").asBoolean()) {
        throw ApiError.badRequest("streaming is not supported; send stream: false", "stream");
      }
    }
    if (body.has("n") && !body.get("n").isNull()
        && !(body.get("n").canConvertToExactIntegral() && body.get("n").asInt() == 1)) {
      throw ApiError.badRequest("only n = 1 is supported", "n");
    }
    checkResponseFormat(body.get("response_format"));
    OptionalInt maxTokens = optionalInt(body, "max_tokens");
    if (maxTokens.isEmpty()) {
      maxTokens = optionalInt(body, "max_completion_tokens");
    }
    double temperature = optionalNumber(body, "temperature", 1.0);
    double topP = optionalNumber(body, "top_p", 1.0);
    OptionalLong seed = OptionalLong.empty();
    JsonNode s = body.get("seed");
    if (s != null && !s.isNull()) {
      if (!s.canConvertToExactIntegral() || !s.canConvertToLong()) {
        throw ApiError.badRequest("seed must be an integer", "seed");
      }
      seed = OptionalLong.of(s.asLong());
    }
    return new ChatRequest(model, messages(body.get("messages")), maxTokens, temperature, topP, seed,
        stop(body.get("stop")));
  }

  private static void checkOrder(List<ChatMessage> messages) {
    if (messages.isEmpty()) {
      throw ApiError.badRequest("messages must hold at least one user message", "messages");
    }
    boolean dialogueStarted = false;
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage.Role role = messages.get(i).role();
      if (role == ChatMessage.Role.SYSTEM && dialogueStarted) {
        throw ApiError.badRequest("messages[" + i + "]: system messages must come before the dialogue",
            "messages");
      }
      if (role == ChatMessage.Role.ASSISTANT && !dialogueStarted) {
        throw ApiError.badRequest("messages[" + i + "]: the dialogue must start with a user message",
            "messages");
      }
      dialogueStarted |= role == ChatMessage.Role.USER;
    }
    if (messages.get(messages.size() - 1).role() != ChatMessage.Role.USER) {
      throw ApiError.badRequest("the last message must be a user message (continuing an assistant message "
          + "is not supported)", "messages");
    }
  }

  private static List<ChatMessage> messages(JsonNode node) {
    if (node == null || !node.isArray()) {
      throw ApiError.badRequest("messages must be an array of {role, content} objects", "messages");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode m = node.get(i);
      String where = "messages[" + i + "]";
      if (!m.isObject() || !m.path("role").isTextual()) {
        throw ApiError.badRequest(where + " must be an object with a string role", "messages");
      }
      String roleName = m.get("role").asText();
      ChatMessage.Role role = ChatMessage.Role.parse(roleName).orElseThrow(() -> ApiError.badRequest(where
          + ": unsupported role '" + roleName + "' (allowed: system, developer, user, assistant)", "messages"));
      out.add(new ChatMessage(role, content(m.get("content"), where)));
    }
    return out;
  }

  /** A string, or an array of {@code {"type": "text", "text": …}} parts joined without separator. */
  private static String content(JsonNode c, String where) {
    if (c != null && c.isTextual()) {
      return c.asText();
    }
    if (c != null && c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : c) {
        if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
          throw ApiError.badRequest(where + ": only text content parts are supported", "messages");
        }
        sb.append(part.get("text").asText());
      }
      return sb.toString();
    }
    throw ApiError.badRequest(where + ": content must be a string or an array of text parts", "messages");
  }

  private static List<String> stop(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (node.isArray()) {
      List<String> out = new ArrayList<>();
      for (JsonNode s : node) {
        if (!s.isTextual()) {
          throw ApiError.badRequest("stop must hold strings", "stop");
        }
        out.add(s.asText());
      }
      return out;
    }
    throw ApiError.badRequest("stop must be a string or an array of strings", "stop");
  }

  private static void checkResponseFormat(JsonNode node) {
    if (node == null || node.isNull()) {
      return;
    }
    String type = node.path("type").asText("");
    if (!node.isObject() || !(type.equals("text") || type.equals("json_object"))) {
      throw ApiError.badRequest("response_format must be {\"type\": \"text\"} or {\"type\": \"json_object\"}",
          "response_format");
    }
  }

  private static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw ApiError.badRequest(field + " must be a string", field);
    }
    return Optional.of(n.asText());
  }

  private static OptionalInt optionalInt(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return OptionalInt.empty();
    }
    if (!n.canConvertToExactIntegral() || !n.canConvertToInt()) {
      throw ApiError.badRequest(field + " must be an integer", field);
    }
    return OptionalInt.of(n.asInt());
  }

  private static double optionalNumber(JsonNode body, String field, double fallback) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber()) {
      throw ApiError.badRequest(field + " must be a number", field);
    }
    return n.asDouble();
  }
}
