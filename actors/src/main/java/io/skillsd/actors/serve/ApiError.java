package io.skillsd.actors.serve;

import java.util.Optional;

/**
 * A request the server answers with an OpenAI-style error object
 * ({@code {"error": {"message", "type", "param", "code"}}}) and an HTTP status.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final transient Optional<String> param;
  private final transient Optional<String> code;

  public ApiError(int status, String type, String message, Optional<String> param, Optional<String> code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** 400: the request is malformed or asks for something the server does not do. */
  public static ApiError badRequest(String message, String param) {
    return new ApiError(400, "invalid_request_error", message, Optional.ofNullable(param), Optional.empty());
  }

  /** 400 with a machine-readable code, e.g. {@code context_length_exceeded}. */
  public static ApiError badRequest(String message, String param, String code) {
    return new ApiError(400, "invalid_request_error", message, Optional.ofNullable(param), Optional.of(code));
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public Optional<String> param() {
    return param;
  }

  public Optional<String> code() {
    return code;
  }
}
