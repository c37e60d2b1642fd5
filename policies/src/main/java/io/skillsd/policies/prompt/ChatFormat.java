package io.skillsd.policies.prompt;

import io.skillsd.policies.tokenizer.ChatTemplate;
import io.skillsd.policies.tokenizer.TextTokenizer;
import java.util.List;

/**
 * A tokenizer with its chat template: turns prompts and observations into tokens to append to a
 * {@link Transcript}.
 */
public record ChatFormat(TextTokenizer tokenizer, ChatTemplate template, PromptStyle style) {
  public ChatFormat {
    java.util.Objects.requireNonNull(style, "style");
    if (tokenizer.tokenId(template.endOfTurn()).isEmpty()) {
      throw new IllegalArgumentException("the tokenizer has no single token for " + template.endOfTurn());
    }
  }

  /** A format with full prompts ({@link PromptStyle#FULL}). */
  public ChatFormat(TextTokenizer tokenizer, ChatTemplate template) {
    this(tokenizer, template, PromptStyle.FULL);
  }

  /** The same tokenizer and template with another prompt style. */
  public ChatFormat withStyle(PromptStyle other) {
    return new ChatFormat(tokenizer, template, other);
  }

  /** The student's opening prompt as tokens; the style decides whether the system part is kept. */
  public Transcript open(StudentPrompt prompt) {
    return Transcript.open(tokenizer.encode(template.open(style.system(prompt.system()), prompt.task())));
  }

  /**
   * The teacher's opening prompt as tokens: the skill sits in the system part. The skill text is used as given
   * (render it with {@code style().render(skill)}); the style decides whether the instructions are kept.
   */
  public Transcript open(TeacherPrompt prompt) {
    TeacherPrompt styled = new TeacherPrompt(style.system(prompt.system()), prompt.task(), prompt.skill());
    return Transcript.open(tokenizer.encode(template.open(styled.systemWithSkill(), prompt.task())));
  }

  /** The teacher's view of a student's dialogue: the same turns after the teacher's opening prompt. */
  public Transcript forTeacher(Transcript student, TeacherPrompt prompt) {
    return student.withPrompt(open(prompt).tokens());
  }

  /**
   * Appends the next observation as a user turn. If the last reply did not end with the end-of-turn token
   * (it hit its length limit), that token is appended first, as a prompt token.
   */
  public Transcript observe(Transcript transcript, String observation) {
    int end = endOfTurnId();
    Transcript t = transcript;
    if (t.length() == 0 || t.last() != end) {
      t = t.append(new int[] {end});
    }
    return t.append(tokenizer.encode(template.next(observation)));
  }

  /** The token that ends a reply. */
  public int endOfTurnId() {
    return tokenizer.tokenId(template.endOfTurn()).orElseThrow();
  }

  /** Stop tokens for sampling a reply. */
  public List<Integer> stopTokens() {
    return List.of(endOfTurnId());
  }
}
