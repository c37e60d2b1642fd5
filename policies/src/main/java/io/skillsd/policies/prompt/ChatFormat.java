package io.skillsd.policies.prompt;

import io.skillsd.policies.tokenizer.ChatTemplate;
import io.skillsd.policies.tokenizer.TextTokenizer;
import java.util.List;

/**
 * A tokenizer with its chat template: turns prompts and observations into tokens to append to a
 * {@link Transcript}.
 */
public record ChatFormat(TextTokenizer tokenizer, ChatTemplate template) {
  public ChatFormat {
    if (tokenizer.tokenId(template.endOfTurn()).isEmpty()) {
      throw new IllegalArgumentException("the tokenizer has no single token for " + template.endOfTurn());
    }
  }

  /** The student's opening prompt as tokens. */
  public Transcript open(StudentPrompt prompt) {
    return Transcript.open(tokenizer.encode(template.open(prompt.system(), prompt.task())));
  }

  /** The teacher's opening prompt as tokens: the skill sits in the system part. */
  public Transcript open(TeacherPrompt prompt) {
    return Transcript.open(tokenizer.encode(template.open(prompt.systemWithSkill(), prompt.task())));
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
