package io.skillsd.policies.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in tokenizer of the tiny model: a fixed, documented vocabulary in which every text is encodable.
 *
 * <p>Ids, in order: the special tokens {@link #SPECIALS} (id 0 is {@code <pad>}); the 95 printable ASCII
 * characters, newline and tab; the Sokoban glyph {@code √}; the whole words of {@link #WORDS}; and 256 byte
 * tokens {@code <0x00>}…{@code <0xFF>}. Encoding scans left to right: a special string becomes its token; a
 * run of ASCII letters that is a vocabulary word becomes that word; any other letter, digit, space,
 * punctuation or grid glyph becomes its character token; a character outside the vocabulary becomes the
 * byte tokens of its UTF-8 encoding. Decoding concatenates token texts (byte tokens re-assembled as UTF-8),
 * so {@code decode(encode(s)).equals(s)} for every string.
 */
public final class WordTokenizer implements TextTokenizer {
  /** Special tokens: padding, the chat markers, and the agent's structured-output tags. */
  public static final List<String> SPECIALS = List.of(
      "<pad>", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<answer>", "</answer>",
      "||");

  /** Whole-word tokens: actions, Sokoban terms and the common words of skills and instructions. */
  public static final List<String> WORDS = List.of(
      "Up", "Down", "Left", "Right", "up", "down", "left", "right",
      "system", "user", "assistant",
      "box", "boxes", "Box", "Boxes", "target", "targets", "goal", "goals", "wall", "walls", "player", "Player",
      "push", "pushes", "pushed", "pushing", "Push", "pull", "move", "moves", "moved", "moving", "Move",
      "step", "steps", "corner", "corners", "stuck", "deadlock", "dead", "avoid", "Avoid", "first", "First",
      "then", "Then", "before", "after", "into", "onto", "next", "toward", "towards", "away", "from",
      "the", "The", "a", "A", "an", "to", "of", "in", "on", "at", "is", "are", "be", "it", "its", "this",
      "This", "that", "and", "or", "not", "no", "never", "Never", "always", "Always", "when", "When", "if",
      "If", "only", "each", "all", "any", "one", "two", "three", "row", "rows", "column", "columns", "grid",
      "map", "solve", "solved", "level", "puzzle", "position", "positions", "free", "empty", "space", "path",
      "plan", "check", "keep", "Keep", "make", "sure", "against", "edge", "side", "agent", "you", "You",
      "your", "Your", "should", "can", "cannot", "must", "do", "does", "with", "without", "by", "for", "as",
      "so", "until", "while", "reach", "reached", "place", "placed", "blocked", "open", "clear", "action",
      "actions", "Action", "answer", "observation", "Observation", "task", "Task", "skill", "skills", "Skill",
      "reward", "turn", "turns", "current", "state", "valid", "invalid", "format", "reason", "think",
      "Think", "output", "give", "use", "Use", "where", "which", "what", "how", "why", "there", "here",
      "symbol", "symbols", "means", "represents", "legend", "Legend", "on", "off", "back", "again", "same",
      "other", "another", "more", "less", "most", "every", "both", "many", "number", "order", "sequence",
      "Sokoban", "Frozen", "Lake", "hole", "holes", "ice", "frozen", "lake", "safe", "fall", "danger",
      "success", "fail", "failed", "failure", "pattern", "Pattern", "principle", "Principle", "mistake",
      "mistakes", "Mistakes", "strategy", "Strategy", "example", "leave", "room", "line", "lines", "near",
      "far", "adjacent", "behind", "front", "above", "below", "under", "over", "between", "around");

  private final List<String> texts;
  private final Map<String, Integer> ids;
  private final int firstByte;

  public WordTokenizer() {
    List<String> t = new ArrayList<>(SPECIALS);
    for (char c = 32; c < 127; c++) {
      t.add(String.valueOf(c));
    }
    t.add("\n");
    t.add("\t");
    t.add("√");
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < t.size(); i++) {
      index.put(t.get(i), i);
    }
    for (String w : WORDS) {
      if (!index.containsKey(w)) {
        index.put(w, t.size());
        t.add(w);
      }
    }
    firstByte = t.size();
    for (int b = 0; b < 256; b++) {
      t.add(String.format("<0x%02X>", b));
    }
    this.texts = Collections.unmodifiableList(t);
    this.ids = Collections.unmodifiableMap(index);
  }

  @Override
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    outer:
    while (i < n) {
      if (text.charAt(i) == '<' || text.charAt(i) == '|') {
        for (int s = 0; s < SPECIALS.size(); s++) {
          if (text.startsWith(SPECIALS.get(s), i)) {
            out.add(s);
            i += SPECIALS.get(s).length();
            continue outer;
          }
        }
      }
      char c = text.charAt(i);
      if (isAsciiLetter(c)) {
        int j = i;
        while (j < n && isAsciiLetter(text.charAt(j))) {
          j++;
        }
        Integer word = ids.get(text.substring(i, j));
        if (word != null) {
          out.add(word);
        } else {
          for (int k = i; k < j; k++) {
            out.add(ids.get(String.valueOf(text.charAt(k))));
          }
        }
        i = j;
        continue;
      }
      int cp = text.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      Integer id = ids.get(ch);
      if (id != null) {
        out.add(id);
      } else {
        for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
          out.add(firstByte + (b & 0xff));
        }
      }
      i += ch.length();
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  @Override
  public String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int id : tokens) {
      if (id < 0 || id >= texts.size()) {
        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + texts.size());
      }
      if (id >= firstByte) {
        bytes.write(id - firstByte);
        continue;
      }
      if (bytes.size() > 0) {
        sb.append(bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
      }
      sb.append(texts.get(id));
    }
    if (bytes.size() > 0) {
      sb.append(bytes.toString(StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  @Override
  public int vocabSize() {
    return texts.size();
  }

  @Override
  public Optional<Integer> tokenId(String token) {
    int s = SPECIALS.indexOf(token);
    if (s >= 0) {
      return Optional.of(s);
    }
    return Optional.ofNullable(ids.get(token));
  }

  /** The text of one id. */
  public String tokenText(int id) {
    return texts.get(id);
  }

  @Override
  public String describe() {
    return "built-in word tokenizer (" + vocabSize() + " tokens)";
  }
}
