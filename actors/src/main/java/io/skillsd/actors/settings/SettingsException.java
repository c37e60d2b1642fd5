package io.skillsd.actors.settings;

/**
 * A setting has a value that cannot be used. The message is one line: the key, the value given and what
 * is allowed, e.g. {@code skillsd.train.iterations = -3: must be an integer in [1, 1000000]}.
 */
public final class SettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public SettingsException(String key, String value, String allowed) {
    super(key + " = " + value + ": " + allowed);
    this.key = key;
  }

  /** The full path of the offending key. */
  public String key() {
    return key;
  }
}
