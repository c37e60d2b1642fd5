package io.skillsd.skills.summarizer;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** A generation that produced no text, with what kind of failure it was. */
public final class GenerationException extends RuntimeException {

  /** Kinds of failure; {@link #retryable()} says whether trying again can help. */
  public enum Kind {
    /** No answer within the time allowed. */
    TIMEOUT(true),
    /** The server said to slow down (HTTP 429). */
    RATE_LIMITED(true),
    /** The server could not be reached (connection refused or reset). */
    UNAVAILABLE(true),
    /** The server failed (HTTP 5xx). */
    SERVER_ERROR(true),
    /** The server answered, but not with a chat completion we can read. */
    BAD_RESPONSE(true),
    /** The server refused the request as such (HTTP 4xx other than 429): the same request will fail again. */
    REJECTED(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final Duration retryAfter;

  public GenerationException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public GenerationException(Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** The wait the server asked for (HTTP {@code Retry-After}), if it asked. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
