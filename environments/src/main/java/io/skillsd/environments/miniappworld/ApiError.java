package io.skillsd.environments.miniappworld;

/** A valid call the world refused (not found, auth required, rejected); becomes an error observation. */
final class ApiError extends Exception {

  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  ApiError(ErrorKind kind, String message) {
    super(message, null, false, false);
    if (kind.malformed()) {
      throw new IllegalArgumentException("handlers raise only world refusals, not " + kind);
    }
    this.kind = kind;
  }

  static ApiError notFound(String message) {
    return new ApiError(ErrorKind.NOT_FOUND, message);
  }

  static ApiError rejected(String message) {
    return new ApiError(ErrorKind.REJECTED, message);
  }

  ErrorKind kind() {
    return kind;
  }
}
