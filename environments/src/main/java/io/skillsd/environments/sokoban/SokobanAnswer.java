package io.skillsd.environments.sokoban;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One turn's answer, parsed from the model's text: {@code <answer>Up || Left</answer>}, optionally after a
 * {@code <think>…</think>} block. Tags and action words are case-insensitive; actions are separated by
 * {@code ||}.
 *
 * <p>An answer is malformed (and penalized by the environment) when there is no answer block, when it holds
 * no action, when a word is not one of Up, Down, Left, Right, or when it has more actions than the turn allows.
 * The valid actions of a malformed answer still run, as in RAGEN: the unknown words are dropped and an
 * over-long answer is cut to its first actions.
 *
 * @param actions the actions to run, in order
 * @param invalidReason why the answer is malformed; empty when it is well-formed
 */
public record SokobanAnswer(List<Direction> actions, Optional<String> invalidReason) {

  /** The separator between actions. */
  public static final String SEPARATOR = "||";

  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>",
      Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  public SokobanAnswer {
    actions = List.copyOf(actions);
    Objects.requireNonNull(invalidReason, "invalidReason");
  }

  public boolean valid() {
    return invalidReason.isEmpty();
  }

  /** Parses {@code text}, allowing at most {@code maxActions} actions. Never throws on any text. */
  public static SokobanAnswer parse(String text, int maxActions) {
    Matcher m = ANSWER.matcher(text == null ? "" : text);
    if (!m.find()) {
      return new SokobanAnswer(List.of(), Optional.of("missing <answer>...</answer> tags"));
    }
    String body = m.group(1).strip();
    if (body.isEmpty()) {
      return new SokobanAnswer(List.of(), Optional.of("empty answer"));
    }
    List<String> problems = new ArrayList<>();
    String[] words = body.split(Pattern.quote(SEPARATOR), -1);
    int kept = words.length;
    if (words.length > maxActions) {
      problems.add("too many actions: " + words.length + " (at most " + maxActions + " per turn)");
      kept = maxActions;
    }
    List<Direction> actions = new ArrayList<>();
    for (int i = 0; i < kept; i++) {
      Optional<Direction> d = Direction.parse(words[i]);
      if (d.isPresent()) {
        actions.add(d.get());
      } else {
        problems.add("unknown action '" + words[i].strip() + "' (allowed: Up, Down, Left, Right)");
      }
    }
    if (actions.isEmpty() && problems.isEmpty()) {
      problems.add("no action");
    }
    return new SokobanAnswer(actions, problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
  }

  /** The answer text for {@code actions}: {@code <answer>Up || Left</answer>}. */
  public static String format(List<Direction> actions) {
    StringBuilder sb = new StringBuilder("<answer>");
    for (int i = 0; i < actions.size(); i++) {
      if (i > 0) {
        sb.append(' ').append(SEPARATOR).append(' ');
      }
      sb.append(actions.get(i).label());
    }
    return sb.append("</answer>").toString();
  }
}
