package io.skillsd.environments.miniappworld;

import static io.skillsd.environments.miniappworld.ApiSpec.Param.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every app of the world, and the dispatcher that checks a {@link ToolCall} against the API's declared
 * parameters and token requirement before running it. Immutable and shared by all episodes.
 */
final class AppCatalog {

  static final AppCatalog INSTANCE = new AppCatalog();

  private final Map<String, App> apps = new LinkedHashMap<>();

  private AppCatalog() {
    List<App> list = new ArrayList<>();
    list.add(apiDocs());
    list.add(SupervisorApp.app());
    list.add(PhoneApp.app());
    list.add(NotesApp.app());
    list.add(TodoApp.app());
    list.add(WalletApp.app());
    list.add(MusicApp.app());
    for (App app : list) {
      apps.put(app.name(), app);
    }
  }

  List<App> apps() {
    return List.copyOf(apps.values());
  }

  Optional<App> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  /** Validates {@code call} and runs it against {@code session}. */
  CallOutcome dispatch(Session session, ToolCall call) {
    App app = apps.get(call.app());
    if (app == null) {
      return CallOutcome.error(ErrorKind.UNKNOWN_APP, "unknown app '" + call.app() + "'. Apps: "
          + String.join(", ", apps.keySet()) + ". See api_docs.show_app_descriptions.");
    }
    Optional<ApiSpec> found = app.api(call.api());
    if (found.isEmpty()) {
      return CallOutcome.error(ErrorKind.UNKNOWN_API, "app '" + app.name() + "' has no API '" + call.api()
          + "'. APIs: " + String.join(", ", app.apiNames()) + ".");
    }
    ApiSpec api = found.get();
    Map<String, JsonNode> args = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : call.args().entrySet()) {
      Optional<ApiSpec.Param> param = api.param(e.getKey());
      if (param.isEmpty()) {
        return CallOutcome.error(ErrorKind.UNKNOWN_ARGUMENT, api.qualifiedName() + " has no argument '"
            + e.getKey() + "'. Arguments: " + signature(api) + ".");
      }
      if (e.getValue().isNull()) {
        continue;
      }
      if (!param.get().type().accepts(e.getValue())) {
        return CallOutcome.error(ErrorKind.MISTYPED_ARGUMENT, api.qualifiedName() + " argument '" + e.getKey()
            + "' must be " + article(param.get().type().label) + ", got " + describe(e.getValue()) + ".");
      }
      args.put(e.getKey(), e.getValue());
    }
    for (ApiSpec.Param p : api.params()) {
      if (p.required() && !args.containsKey(p.name())) {
        return CallOutcome.error(ErrorKind.MISSING_ARGUMENT, api.qualifiedName() + " is missing required argument '"
            + p.name() + "' (" + p.type().label + ").");
      }
    }
    if (api.needsToken() && !args.containsKey("access_token")) {
      return CallOutcome.error(ErrorKind.AUTH_REQUIRED, api.qualifiedName() + " requires an access_token. Get one "
          + "with " + app.name() + ".login.");
    }
    if (api.needsToken() && !session.tokenValidFor(args.get("access_token").asText(), app.name())) {
      return CallOutcome.error(ErrorKind.AUTH_REQUIRED, api.qualifiedName() + " requires a valid access_token for "
          + app.name() + "; the one given is not. Get one with " + app.name() + ".login.");
    }
    try {
      return new CallOutcome.Ok(api.handler().apply(new Call(session, api, args)));
    } catch (ApiError e) {
      return CallOutcome.error(e.kind(), e.getMessage());
    }
  }

  /** {@code name: type, name?: type} for every parameter of {@code api}. */
  static String signature(ApiSpec api) {
    List<String> parts = new ArrayList<>();
    for (ApiSpec.Param p : api.allParams()) {
      parts.add(p.name() + (p.required() ? "" : "?") + ": " + p.type().label);
    }
    return parts.isEmpty() ? "(none)" : String.join(", ", parts);
  }

  /** The {@code login} API every app with accounts has. */
  static ApiSpec login(String app) {
    return new ApiSpec(app, "login", "Log in to " + app + " and get an access_token for its other APIs.",
        List.of(required("username", ApiSpec.ParamType.STRING, "your email address"),
            required("password", ApiSpec.ParamType.STRING, "from supervisor.show_account_passwords")),
        false, "object", c -> {
          boolean user = c.string("username").equalsIgnoreCase(c.session.supervisor.email());
          boolean password = c.db().rows("supervisor.account_passwords").stream()
              .anyMatch(r -> r.string("account_name").equals(app) && r.string("password").equals(c.string("password")));
          if (!user || !password) {
            throw new ApiError(ErrorKind.AUTH_REQUIRED, "wrong username or password for " + app
                + "; the username is your email and the password is in supervisor.show_account_passwords.");
          }
          ObjectNode out = Call.JSON.objectNode();
          out.put("access_token", c.session.issueToken(app));
          out.put("token_type", "bearer");
          return out;
        });
  }

  private App apiDocs() {
    return new App("api_docs", "Documentation of every app and API.", List.of(
        new ApiSpec("api_docs", "show_app_descriptions", "List the apps with a one-line description each.",
            List.of(), false, "array", c -> {
              ArrayNode out = Call.JSON.arrayNode();
              apps.values().forEach(a -> out.addObject().put("name", a.name()).put("description", a.description()));
              return out;
            }),
        new ApiSpec("api_docs", "show_api_descriptions", "List the APIs of one app with a one-line description each.",
            List.of(required("app_name", ApiSpec.ParamType.STRING, "the app")), false, "array", c -> {
              App a = docApp(c.string("app_name"));
              ArrayNode out = Call.JSON.arrayNode();
              a.apis().forEach(api -> out.addObject().put("name", api.name()).put("description", api.description()));
              return out;
            }),
        new ApiSpec("api_docs", "show_api_doc", "Show one API's parameters, types and what it returns.",
            List.of(required("app_name", ApiSpec.ParamType.STRING, "the app"),
                required("api_name", ApiSpec.ParamType.STRING, "the API")), false, "object", c -> {
              App a = docApp(c.string("app_name"));
              ApiSpec api = a.api(c.string("api_name")).orElseThrow(() -> ApiError.notFound("app '" + a.name()
                  + "' has no API '" + c.string("api_name") + "'. APIs: " + String.join(", ", a.apiNames()) + "."));
              return doc(api);
            })));
  }

  private App docApp(String name) throws ApiError {
    App a = apps.get(name);
    if (a == null) {
      throw ApiError.notFound("unknown app '" + name + "'. Apps: " + String.join(", ", apps.keySet()) + ".");
    }
    return a;
  }

  static ObjectNode doc(ApiSpec api) {
    ObjectNode out = Call.JSON.objectNode();
    out.put("app_name", api.app());
    out.put("api_name", api.name());
    out.put("description", api.description());
    ArrayNode params = out.putArray("parameters");
    for (ApiSpec.Param p : api.allParams()) {
      params.addObject().put("name", p.name()).put("type", p.type().label).put("required", p.required())
          .put("description", p.description());
    }
    out.put("returns", api.returns());
    return out;
  }

  private static String article(String type) {
    return (type.startsWith("i") ? "an " : "a ") + type;
  }

  private static String describe(JsonNode value) {
    String kind;
    if (value.isTextual()) {
      kind = "string";
    } else if (value.isIntegralNumber()) {
      kind = "integer";
    } else if (value.isNumber()) {
      kind = "number";
    } else if (value.isBoolean()) {
      kind = "boolean";
    } else if (value.isArray()) {
      kind = "array";
    } else {
      kind = "object";
    }
    String text = value.toString();
    return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
  }
}
