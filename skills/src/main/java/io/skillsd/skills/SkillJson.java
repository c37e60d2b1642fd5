package io.skillsd.skills;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes skills as JSON, strictly.
 *
 * <p>A stored skill is one object with exactly the keys {@code success_analysis}, {@code mistake_analysis},
 * {@code golden_workflow} (non-empty strings of at most {@link #maxFieldChars()} characters each) and
 * {@code provenance} (an object with exactly {@code task_id}, {@code trajectory_id}, {@code reward},
 * {@code weights_version}, {@code summarizer}). A model's answer ({@link #readAnswer}) is the three text fields
 * alone. Anything else — a missing, extra, duplicated, empty or oversized field, a wrong type, trailing
 * text — is a {@link SkillFormatException} naming the problem. Instances are immutable and thread-safe.
 */
public final class SkillJson {

  /** The default cap on each text field, in characters. */
  public static final int DEFAULT_MAX_FIELD_CHARS = 2_000;

  public static final String SUCCESS_ANALYSIS = "success_analysis";
  public static final String MISTAKE_ANALYSIS = "mistake_analysis";
  public static final String GOLDEN_WORKFLOW = "golden_workflow";
  public static final String PROVENANCE = "provenance";
  public static final String TASK_ID = "task_id";
  public static final String TRAJECTORY_ID = "trajectory_id";
  public static final String REWARD = "reward";
  public static final String WEIGHTS_VERSION = "weights_version";
  public static final String SUMMARIZER = "summarizer";

  private static final List<String> TEXT_FIELDS = List.of(SUCCESS_ANALYSIS, MISTAKE_ANALYSIS, GOLDEN_WORKFLOW);
  private static final Set<String> SKILL_KEYS =
      Set.of(SUCCESS_ANALYSIS, MISTAKE_ANALYSIS, GOLDEN_WORKFLOW, PROVENANCE);
  private static final Set<String> ANSWER_KEYS = Set.copyOf(TEXT_FIELDS);
  private static final Set<String> PROVENANCE_KEYS =
      Set.of(TASK_ID, TRAJECTORY_ID, REWARD, WEIGHTS_VERSION, SUMMARIZER);

  /** Strict parsing: duplicate keys and trailing tokens are errors. Shared; ObjectMapper is thread-safe. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final int maxFieldChars;

  /** The strict mapper (duplicate keys and trailing tokens rejected), for readers of files that embed skills. */
  public static ObjectReader strictReader() {
    return MAPPER.reader();
  }

  public SkillJson(int maxFieldChars) {
    if (maxFieldChars < 1) {
      throw new IllegalArgumentException("maxFieldChars must be >= 1, was " + maxFieldChars);
    }
    this.maxFieldChars = maxFieldChars;
  }

  /** Strict JSON with the default size cap ({@value #DEFAULT_MAX_FIELD_CHARS} characters per field). */
  public static SkillJson withDefaults() {
    return new SkillJson(DEFAULT_MAX_FIELD_CHARS);
  }

  public int maxFieldChars() {
    return maxFieldChars;
  }

  /** Throws {@link SkillFormatException} when a text field of {@code skill} is over the cap. */
  public Skill checkSize(Skill skill) {
    checkLength(SUCCESS_ANALYSIS, skill.successAnalysis());
    checkLength(MISTAKE_ANALYSIS, skill.mistakeAnalysis());
    checkLength(GOLDEN_WORKFLOW, skill.goldenWorkflow());
    return skill;
  }

  /** The skill as a JSON tree, provenance included. */
  public ObjectNode toTree(Skill skill) {
    checkSize(skill);
    ObjectNode node = MAPPER.createObjectNode();
    node.put(SUCCESS_ANALYSIS, skill.successAnalysis());
    node.put(MISTAKE_ANALYSIS, skill.mistakeAnalysis());
    node.put(GOLDEN_WORKFLOW, skill.goldenWorkflow());
    Skill.Provenance p = skill.provenance();
    ObjectNode prov = node.putObject(PROVENANCE);
    prov.put(TASK_ID, p.taskId());
    prov.put(TRAJECTORY_ID, p.trajectoryId());
    prov.put(REWARD, p.reward());
    prov.put(WEIGHTS_VERSION, p.weightsVersion());
    prov.put(SUMMARIZER, p.summarizer());
    return node;
  }

  /** The skill as one line of JSON, provenance included. */
  public String write(Skill skill) {
    try {
      return MAPPER.writeValueAsString(toTree(skill));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialize", e);
    }
  }

  /** Reads a stored skill (the format {@link #write} produces). */
  public Skill read(String json) {
    return fromTree(parse(json));
  }

  /** Reads a stored skill from a JSON tree. */
  public Skill fromTree(JsonNode node) {
    requireKeys(node, SKILL_KEYS, "skill");
    JsonNode prov = node.get(PROVENANCE);
    requireKeys(prov, PROVENANCE_KEYS, "skill provenance");
    JsonNode reward = prov.get(REWARD);
    if (!reward.isNumber() || !Double.isFinite(reward.doubleValue())) {
      throw new SkillFormatException("provenance '" + REWARD + "' must be a finite number, was " + reward);
    }
    JsonNode version = prov.get(WEIGHTS_VERSION);
    if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 0) {
      throw new SkillFormatException(
          "provenance '" + WEIGHTS_VERSION + "' must be a non-negative integer, was " + version);
    }
    Skill.Provenance provenance = new Skill.Provenance(
        nonBlankName(prov, TASK_ID), nonBlankName(prov, TRAJECTORY_ID), reward.doubleValue(),
        version.longValue(), nonBlankName(prov, SUMMARIZER));
    return textFields(node, provenance);
  }

  /**
   * Reads a model's answer: a JSON object with exactly the three text fields. Two wrappers that models add
   * around an otherwise exact answer are tolerated and removed first: a leading {@code <think>…</think>}
   * block and a Markdown code fence (```json … ```). Nothing else is.
   *
   * @param answer the model's raw text
   * @param provenance the provenance to attach
   */
  public Skill readAnswer(String answer, Skill.Provenance provenance) {
    return textFields(requireKeysOf(parse(unwrap(answer)), ANSWER_KEYS, "answer"), provenance);
  }

  private static JsonNode requireKeysOf(JsonNode node, Set<String> keys, String what) {
    requireKeys(node, keys, what);
    return node;
  }

  private Skill textFields(JsonNode node, Skill.Provenance provenance) {
    List<String> values = new ArrayList<>(3);
    for (String field : TEXT_FIELDS) {
      JsonNode value = node.get(field);
      if (!value.isTextual()) {
        throw new SkillFormatException("'" + field + "' must be a string, was " + value.getNodeType());
      }
      String text = value.textValue().strip();
      if (text.isEmpty()) {
        throw new SkillFormatException("'" + field + "' must not be empty");
      }
      checkLength(field, text);
      values.add(text);
    }
    return new Skill(values.get(0), values.get(1), values.get(2), provenance);
  }

  private void checkLength(String field, String text) {
    if (text.length() > maxFieldChars) {
      throw new SkillFormatException("'" + field + "' has " + text.length()
          + " characters, over the cap of " + maxFieldChars);
    }
  }

  private static String nonBlankName(JsonNode prov, String field) {
    JsonNode value = prov.get(field);
    if (!value.isTextual() || value.textValue().isBlank()) {
      throw new SkillFormatException("provenance '" + field + "' must be a non-empty string, was " + value);
    }
    return value.textValue();
  }

  private static void requireKeys(JsonNode node, Set<String> expected, String what) {
    if (node == null || !node.isObject()) {
      throw new SkillFormatException(what + " must be a JSON object, was "
          + (node == null ? "absent" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
    }
    Set<String> missing = new TreeSet<>(expected);
    Set<String> extra = new TreeSet<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!missing.remove(name)) {
        extra.add(name);
      }
    }
    if (!missing.isEmpty() || !extra.isEmpty()) {
      StringBuilder message = new StringBuilder(what).append(" must have exactly the keys ")
          .append(new TreeSet<>(expected));
      if (!missing.isEmpty()) {
        message.append("; missing ").append(missing);
      }
      if (!extra.isEmpty()) {
        message.append("; unexpected ").append(extra);
      }
      throw new SkillFormatException(message.toString());
    }
  }

  static JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      throw new SkillFormatException("expected a JSON object, got empty text");
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SkillFormatException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Removes a leading think block and a surrounding code fence; see {@link #readAnswer}. */
  static String unwrap(String answer) {
    if (answer == null) {
      throw new SkillFormatException("expected a JSON object, got no text");
    }
    String text = answer.strip();
    if (text.startsWith("<think>")) {
      int end = text.indexOf("</think>");
      if (end < 0) {
        throw new SkillFormatException("the answer opens <think> and never closes it");
      }
      text = text.substring(end + "</think>".length()).strip();
    }
    if (text.startsWith("```")) {
      int firstLineEnd = text.indexOf('\n');
      if (firstLineEnd < 0 || !text.endsWith("```") || text.length() < firstLineEnd + 4) {
        throw new SkillFormatException("the answer opens a code fence and never closes it");
      }
      String info = text.substring(3, firstLineEnd).strip();
      if (!info.isEmpty() && !info.equalsIgnoreCase("json")) {
        throw new SkillFormatException("the answer's code fence is '" + info + "', not json");
      }
      text = text.substring(firstLineEnd + 1, text.length() - 3).strip();
    }
    return text;
  }
}
