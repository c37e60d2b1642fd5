package io.skillsd.skills;

/**
 * A skill's JSON, or a model's answer meant to be one, is malformed: not JSON, a field missing, unknown or
 * empty, a field over the size cap. The message says which and is fit for a log line. It is an expected
 * outcome with model-written text (the summarizers count it and retry or drop), not a bug.
 */
public final class SkillFormatException extends IllegalArgumentException {

  public SkillFormatException(String message) {
    super(message);
  }

  public SkillFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
