package io.skillsd.policies.prompt;

import io.skillsd.skills.Skill;
import java.util.Locale;

/**
 * How much text a model's prompts carry. A property of the model (stored with its checkpoint): a policy must be
 * prompted the way it was trained.
 *
 * <ul>
 *   <li>{@link #FULL}: the environment's instructions in the system part; a skill rendered with its three
 *       fields ({@link Skill#render()}). What an instruction-tuned LLM gets.
 *   <li>{@link #COMPACT}: no instructions (the model learned the rules and the answer format in pretraining);
 *       a skill rendered as its golden workflow alone. For the built-in base agent, whose word tokenizer would
 *       spend several hundred tokens on the instructions and the full skill — a tiny model learns to follow a
 *       short skill much sooner than one buried in a thousand tokens.
 *   <li>{@link #ANSWERS}: no instructions; a skill rendered as the worked answers its golden workflow quotes
 *       ({@code <answer>…</answer>} blocks, one line per turn: {@code turn 1 <answer>Down || Left</answer>}),
 *       or its golden workflow when it quotes none. The shortest skill text that still carries the skill's
 *       plan: what a tiny model learns to follow soonest.
 * </ul>
 */
public enum PromptStyle {
  FULL,
  COMPACT,
  ANSWERS;

  private static final java.util.regex.Pattern ANSWER = java.util.regex.Pattern.compile("<answer>.*?</answer>",
      java.util.regex.Pattern.DOTALL);

  /** The system part of a prompt for an environment with these instructions. */
  public String system(String instructions) {
    return this == FULL ? instructions : "";
  }

  /** The skill text the teacher's prompt carries. */
  public String render(Skill skill) {
    return switch (this) {
      case FULL -> skill.render();
      case COMPACT -> skill.goldenWorkflow();
      case ANSWERS -> answers(skill.goldenWorkflow());
    };
  }

  /** The {@code <answer>…</answer>} blocks of {@code workflow}, one per line as {@code turn k <answer>…</answer>}. */
  private static String answers(String workflow) {
    java.util.regex.Matcher m = ANSWER.matcher(workflow);
    StringBuilder out = new StringBuilder();
    int turn = 0;
    while (m.find()) {
      out.append(turn == 0 ? "" : "\n").append("turn ").append(++turn).append(' ').append(m.group());
    }
    return turn == 0 ? workflow : out.toString();
  }

  /** The lower-case name used in settings and in a checkpoint's {@code skillsd.json}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code full} or {@code compact}; one-line error otherwise. */
  public static PromptStyle parse(String id) {
    for (PromptStyle s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown prompt style '" + id + "'; allowed: full, compact, answers");
  }
}
