package io.skillsd.actors.serve;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of a chat-completions request.
 *
 * @param role who speaks
 * @param content the text
 */
public record ChatMessage(Role role, String content) {

  /** The roles the server accepts; OpenAI's {@code developer} role is read as {@code system}. */
  public enum Role {
    SYSTEM, USER, ASSISTANT;

    /** The role named by an OpenAI {@code role} field, if the server supports it. */
    public static Optional<Role> parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "system", "developer" -> Optional.of(SYSTEM);
        case "user" -> Optional.of(USER);
        case "assistant" -> Optional.of(ASSISTANT);
        default -> Optional.empty();
      };
    }
  }

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }
}
