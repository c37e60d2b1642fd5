package io.skillsd.policies.prompt;

import java.util.Arrays;

/**
 * A multi-turn dialogue as tokens, grown by appending and never re-tokenized: prompt and observation pieces
 * are appended as the template renders them, sampled tokens exactly as they were sampled.
 *
 * @param tokens every token so far
 * @param sampled per token, whether the policy sampled it (the loss mask of training)
 * @param promptLength the length of the opening prompt, which {@link #withPrompt} may replace
 */
public record Transcript(int[] tokens, boolean[] sampled, int promptLength) {
  public Transcript {
    tokens = tokens.clone();
    sampled = sampled.clone();
    if (tokens.length != sampled.length) {
      throw new IllegalArgumentException("tokens and sampled differ in length");
    }
    if (promptLength < 0 || promptLength > tokens.length) {
      throw new IllegalArgumentException("promptLength " + promptLength + " outside [0, " + tokens.length + "]");
    }
    for (int i = 0; i < promptLength; i++) {
      if (sampled[i]) {
        throw new IllegalArgumentException("the opening prompt holds no sampled tokens");
      }
    }
  }

  /** A transcript holding only its opening prompt. */
  public static Transcript open(int[] prompt) {
    return new Transcript(prompt, new boolean[prompt.length], prompt.length);
  }

  /** Appends prompt-side tokens (an observation turn). */
  public Transcript append(int[] promptTokens) {
    return concat(promptTokens, false);
  }

  /** Appends tokens the policy sampled, unchanged. */
  public Transcript appendSampled(int[] sampledTokens) {
    return concat(sampledTokens, true);
  }

  /** The same dialogue after a different opening prompt (how the teacher scores a student's turns). */
  public Transcript withPrompt(int[] prompt) {
    int rest = tokens.length - promptLength;
    int[] t = Arrays.copyOf(prompt, prompt.length + rest);
    System.arraycopy(tokens, promptLength, t, prompt.length, rest);
    boolean[] s = new boolean[t.length];
    System.arraycopy(sampled, promptLength, s, prompt.length, rest);
    return new Transcript(t, s, prompt.length);
  }

  private Transcript concat(int[] more, boolean isSampled) {
    int[] t = Arrays.copyOf(tokens, tokens.length + more.length);
    System.arraycopy(more, 0, t, tokens.length, more.length);
    boolean[] s = Arrays.copyOf(sampled, t.length);
    Arrays.fill(s, tokens.length, t.length, isSampled);
    return new Transcript(t, s, promptLength);
  }

  public int length() {
    return tokens.length;
  }

  /** The last token, if any. */
  public int last() {
    return tokens[tokens.length - 1];
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public boolean[] sampled() {
    return sampled.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transcript t && promptLength == t.promptLength && Arrays.equals(tokens, t.tokens)
        && Arrays.equals(sampled, t.sampled);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(sampled) + promptLength;
  }

  @Override
  public String toString() {
    return "Transcript[" + tokens.length + " tokens, prompt " + promptLength + "]";
  }
}
