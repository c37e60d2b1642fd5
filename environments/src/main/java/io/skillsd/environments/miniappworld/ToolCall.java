package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tool call, {@code {"app": …, "api": …, "args": {…}}}. {@link #parse(String)} accepts the JSON alone or
 * inside one Markdown code fence and reports what is wrong otherwise.
 *
 * @param app the app name
 * @param api the API name
 * @param args the arguments as JSON values, in the order written
 */
public record ToolCall(String app, String api, Map<String, JsonNode> args) {

  static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public ToolCall {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(api, "api");
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  /** A parse: a call, or the malformed-call error that explains why not. */
  public sealed interface Parsed {}

  /** The text is a well-formed call. */
  public record Valid(ToolCall call) implements Parsed {}

  /** The text is not a call; {@code message} says why. */
  public record Invalid(ErrorKind kind, String message) implements Parsed {}

  private static final String FORMAT =
      "Write exactly one tool call: {\"app\": \"<app>\", \"api\": \"<api>\", \"args\": {...}}.";

  public static Parsed parse(String text) {
    String body = stripFence(text.strip());
    if (body.isEmpty()) {
      return new Invalid(ErrorKind.INVALID_JSON, "the action is empty. " + FORMAT);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String detail = e.getOriginalMessage();
      return new Invalid(ErrorKind.INVALID_JSON, "the action is not valid JSON (" + detail + " at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "). " + FORMAT);
    }
    if (root == null || !root.isObject()) {
      return new Invalid(ErrorKind.BAD_SHAPE, "the action must be a JSON object. " + FORMAT);
    }
    for (String key : (Iterable<String>) root::fieldNames) {
      if (!key.equals("app") && !key.equals("api") && !key.equals("args")) {
        return new Invalid(ErrorKind.BAD_SHAPE, "unexpected field '" + key + "' in the tool call. " + FORMAT);
      }
    }
    JsonNode app = root.get("app");
    JsonNode api = root.get("api");
    if (app == null || !app.isTextual() || api == null || !api.isTextual()) {
      return new Invalid(ErrorKind.BAD_SHAPE, "the tool call needs string fields \"app\" and \"api\". " + FORMAT);
    }
    JsonNode args = root.get("args");
    Map<String, JsonNode> map = new LinkedHashMap<>();
    if (args != null && !args.isNull()) {
      if (!args.isObject()) {
        return new Invalid(ErrorKind.BAD_SHAPE, "\"args\" must be a JSON object of named arguments. " + FORMAT);
      }
      args.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
    }
    return new Valid(new ToolCall(app.asText(), api.asText(), map));
  }

  /** This call as one line of JSON, the way a model should write it. */
  public String toJson() {
    var node = MAPPER.createObjectNode();
    node.put("app", app);
    node.put("api", api);
    var a = node.putObject("args");
    args.forEach(a::set);
    return node.toString();
  }

  private static String stripFence(String text) {
    if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
      String inner = text.substring(3, text.length() - 3);
      int newline = inner.indexOf('\n');
      if (newline >= 0 && inner.substring(0, newline).strip().matches("[A-Za-z]*")) {
        inner = inner.substring(newline + 1);
      }
      return inner.strip();
    }
    return text;
  }
}
