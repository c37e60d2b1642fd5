package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One API of an app: its typed parameters, whether it needs an access token, its documentation and the
 * handler that runs it against the episode's {@link Session}.
 */
record ApiSpec(String app, String name, String description, List<Param> params, boolean needsToken,
    String returns, Handler handler) {

  ApiSpec {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(returns, "returns");
    Objects.requireNonNull(handler, "handler");
    params = List.copyOf(params);
  }

  /** The argument types a tool call may carry; JSON integers are accepted where a number is expected. */
  enum ParamType {
    STRING("string"),
    INTEGER("integer"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    /** A string, number or boolean, read as text (answers may be names, counts or amounts). */
    SCALAR("string or number");

    final String label;

    ParamType(String label) {
      this.label = label;
    }

    boolean accepts(JsonNode value) {
      return switch (this) {
        case STRING -> value.isTextual();
        case INTEGER -> value.isIntegralNumber() && value.canConvertToLong();
        case NUMBER -> value.isNumber();
        case BOOLEAN -> value.isBoolean();
        case SCALAR -> value.isValueNode();
      };
    }
  }

  /** One parameter. {@code access_token} is not listed here: {@link #needsToken()} adds it. */
  record Param(String name, ParamType type, boolean required, String description) {
    Param {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(description, "description");
    }

    static Param required(String name, ParamType type, String description) {
      return new Param(name, type, true, description);
    }

    static Param optional(String name, ParamType type, String description) {
      return new Param(name, type, false, description);
    }
  }

  /** Runs a validated call. Expected failures (not found, rejected) are {@link ApiError}s. */
  @FunctionalInterface
  interface Handler {
    JsonNode apply(Call call) throws ApiError;
  }

  /** The parameter named {@code name}, including the implicit {@code access_token}. */
  Optional<Param> param(String name) {
    if (needsToken && name.equals("access_token")) {
      return Optional.of(Param.required("access_token", ParamType.STRING, "the token from " + app + ".login"));
    }
    return params.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Every parameter the call takes, the token first. */
  List<Param> allParams() {
    if (!needsToken) {
      return params;
    }
    java.util.ArrayList<Param> all = new java.util.ArrayList<>();
    all.add(param("access_token").orElseThrow());
    all.addAll(params);
    return all;
  }

  /** {@code app.api} */
  String qualifiedName() {
    return app + "." + name;
  }
}
