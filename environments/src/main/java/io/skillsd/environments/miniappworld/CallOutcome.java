package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** What a tool call produced: a JSON result, or an error of some {@link ErrorKind} with its message. */
sealed interface CallOutcome {

  static CallOutcome error(ErrorKind kind, String message) {
    return new Failed(kind, message);
  }

  /** The call ran; {@code result} is what the agent sees. */
  record Ok(JsonNode result) implements CallOutcome {
    public Ok {
      Objects.requireNonNull(result, "result");
    }
  }

  /** The call was malformed or refused. */
  record Failed(ErrorKind kind, String message) implements CallOutcome {
    public Failed {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
