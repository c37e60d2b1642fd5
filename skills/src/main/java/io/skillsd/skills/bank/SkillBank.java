package io.skillsd.skills.bank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skillsd.skills.Skill;
import io.skillsd.skills.SkillJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The per-task skill buffers with UCB retrieval (Skill-SD, component 3).
 *
 * <p><b>Selection.</b> {@link #select} picks one skill of the task's buffer: a skill never chosen before wins
 * outright (the oldest such skill first); otherwise the highest {@code r̄(e) + c·sqrt(ln N / n(e))}, where
 * n(e) is how often e was chosen, N the task's total selections before this one (kept across evictions),
 * r̄(e) the running mean of the rewards reported for e and c {@link SkillBankSettings#exploration()}. Equal
 * scores go to the skill that entered the buffer first. Selecting counts: it increments n(e) and N.
 *
 * <p><b>Rewards.</b> {@link #recordReward} folds one reward into r̄(e): by convention the mean task reward of
 * the student group in the iteration where e was the teacher's skill.
 *
 * <p><b>Capacity and eviction.</b> A buffer holds at most {@link SkillBankSettings#capacity()} skills. A new
 * skill for a full buffer evicts the tried skill (one with at least one reward) with the lowest r̄, the
 * oldest among equals; if no skill has been tried yet the new one is refused, so every stored skill gets a
 * trial. A skill whose three text fields equal a stored one's (provenance aside) is a duplicate and changes
 * nothing.
 *
 * <p><b>Shared buffers.</b> By default every task has its own buffer. A bank made with a {@code bufferOf}
 * function keeps one buffer per key instead: tasks that map to the same key (tasks alike enough to share
 * skills, see {@code Environment.similarityKey}) add to, select from and report rewards to one buffer, so a
 * task's teacher can be given a skill learned on another task. Selection statistics (n(e), N, r̄) are then
 * the buffer's, over all its tasks.
 *
 * <p><b>Threads.</b> Every public method is synchronized on the bank, so it may be shared; inside one actor
 * that costs an uncontended lock.
 *
 * <p><b>Persistence.</b> {@link #save} writes {@code bank.json} in a directory (atomically replaced);
 * {@link #restore} reads it back with every statistic, so selection continues exactly.
 */
public final class SkillBank {

  /** The file name inside the bank's directory. */
  public static final String FILE_NAME = "bank.json";
  /** The version of the file format. */
  public static final int FORMAT = 1;

  private static final ObjectMapper WRITER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private final SkillBankSettings settings;
  private final SkillJson json;
  private final Map<String, Buffer> buffers = new TreeMap<>();
  private final UnaryOperator<String> bufferOf;

  /** A bank with one buffer per task. */
  public SkillBank(SkillBankSettings settings) {
    this(settings, UnaryOperator.identity());
  }

  /**
   * A bank whose buffers are keyed by {@code bufferOf(taskId)}: tasks with equal keys share one buffer. Keys
   * should not collide with task ids that map elsewhere (e.g. prefix them).
   */
  public SkillBank(SkillBankSettings settings, UnaryOperator<String> bufferOf) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.bufferOf = Objects.requireNonNull(bufferOf, "bufferOf");
    this.json = new SkillJson(settings.maxFieldChars());
  }

  /** The key of the buffer {@code taskId} adds to and selects from (the task id itself unless shared). */
  public String bufferOf(String taskId) {
    return Objects.requireNonNull(bufferOf.apply(taskId), "buffer key of " + taskId);
  }

  public SkillBankSettings settings() {
    return settings;
  }

  /** The id of a skill: the first 16 hex digits of SHA-256 over its three text fields. */
  public static String idOf(Skill skill) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String field : List.of(skill.successAnalysis(), skill.mistakeAnalysis(), skill.goldenWorkflow())) {
        sha.update(field.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Adds a skill to the buffer of its provenance's task ({@link #bufferOf}).
   *
   * @throws io.skillsd.skills.SkillFormatException when a text field is over the size cap
   */
  public synchronized AddResult add(Skill skill) {
    json.checkSize(skill);
    Buffer buffer = buffers.computeIfAbsent(bufferOf(skill.provenance().taskId()), t -> new Buffer());
    String id = idOf(skill);
    for (Entry e : buffer.entries) {
      if (e.skill.sameText(skill)) {
        return new AddResult.Duplicate(e.id);
      }
    }
    Entry entry = new Entry(id, buffer.nextSequence, skill);
    if (buffer.entries.size() < settings.capacity()) {
      buffer.nextSequence++;
      buffer.entries.add(entry);
      return new AddResult.Added(id);
    }
    Optional<Entry> victim = buffer.entries.stream()
        .filter(e -> e.rewards > 0)
        .min((a, b) -> a.meanReward != b.meanReward
            ? Double.compare(a.meanReward, b.meanReward) : Long.compare(a.sequence, b.sequence));
    if (victim.isEmpty()) {
      return new AddResult.Refused(id);
    }
    buffer.entries.remove(victim.get());
    buffer.nextSequence++;
    buffer.entries.add(entry);
    return new AddResult.Replaced(id, victim.get().id, victim.get().meanReward);
  }

  /**
   * Chooses the teacher's skill for {@code taskId} from its buffer by UCB and counts the choice; empty when
   * the buffer has no skill yet (the task's samples are then left out of the distillation loss).
   */
  public synchronized Optional<SkillSelection> select(String taskId) {
    Buffer buffer = buffers.get(bufferOf(taskId));
    if (buffer == null || buffer.entries.isEmpty()) {
      return Optional.empty();
    }
    Entry best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Entry e : buffer.entries) { // entries are in sequence order, so '>' keeps the oldest of equals
      double score = e.stats().ucb(buffer.selections, settings.exploration());
      if (best == null || score > bestScore) {
        best = e;
        bestScore = score;
      }
    }
    best.selections++;
    buffer.selections++;
    return Optional.of(new SkillSelection(taskId, best.id, best.skill, bestScore));
  }

  /**
   * Folds {@code reward} into r̄ of the skill; false (and nothing changes) when the skill is no longer in the
   * task's buffer.
   */
  public synchronized boolean recordReward(String taskId, String skillId, double reward) {
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, was " + reward);
    }
    Buffer buffer = buffers.get(bufferOf(taskId));
    if (buffer == null) {
      return false;
    }
    for (Entry e : buffer.entries) {
      if (e.id.equals(skillId)) {
        e.rewards++;
        e.meanReward += (reward - e.meanReward) / e.rewards;
        return true;
      }
    }
    return false;
  }

  /** The keys of the buffers that exist (task ids, or the shared keys of a {@code bufferOf} bank), in order. */
  public synchronized List<String> tasks() {
    return List.copyOf(buffers.keySet());
  }

  /**
   * The skills of {@code taskId}'s buffer (a task id or a buffer key) with their statistics, in the order they
   * entered; empty if none.
   */
  public synchronized List<SkillStats> skills(String taskId) {
    Buffer buffer = buffers.get(bufferOf(taskId));
    return buffer == null ? List.of() : buffer.entries.stream().map(Entry::stats).toList();
  }

  /** N: the total selections made from {@code taskId}'s buffer (a task id or a buffer key). */
  public synchronized long taskSelections(String taskId) {
    Buffer buffer = buffers.get(bufferOf(taskId));
    return buffer == null ? 0 : buffer.selections;
  }

  /** The number of skills stored over all tasks. */
  public synchronized int size() {
    return buffers.values().stream().mapToInt(b -> b.entries.size()).sum();
  }

  /** Writes the whole bank to {@code dir/bank.json}, replacing the previous file atomically. */
  public synchronized void save(Path dir) throws IOException {
    ObjectNode root = WRITER.createObjectNode();
    root.put("format", FORMAT);
    ArrayNode tasks = root.putArray("tasks");
    for (Map.Entry<String, Buffer> task : buffers.entrySet()) {
      Buffer buffer = task.getValue();
      ObjectNode t = tasks.addObject();
      t.put("task_id", task.getKey());
      t.put("selections", buffer.selections);
      t.put("next_sequence", buffer.nextSequence);
      ArrayNode skills = t.putArray("skills");
      for (Entry e : buffer.entries) {
        ObjectNode s = skills.addObject();
        s.put("id", e.id);
        s.put("sequence", e.sequence);
        s.put("selections", e.selections);
        s.put("rewards", e.rewards);
        s.put("mean_reward", e.meanReward);
        s.set("skill", json.toTree(e.skill));
      }
    }
    Files.createDirectories(dir);
    Path target = dir.resolve(FILE_NAME);
    Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
    try {
      Files.writeString(temp, WRITER.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads a bank that {@link #save} wrote to {@code dir}, with its statistics.
   *
   * @throws java.nio.file.NoSuchFileException when {@code dir/bank.json} does not exist
   * @throws IOException when the file cannot be read or is malformed; the message names the file and the
   *     problem
   */
  public static SkillBank restore(Path dir, SkillBankSettings settings) throws IOException {
    return restore(dir, settings, UnaryOperator.identity());
  }

  /**
   * Reads a bank that {@link #save} wrote to {@code dir} with buffers keyed by {@code bufferOf}; every skill
   * must come from a task whose buffer it is in. With {@code bufferOf} null the buffers are read as stored,
   * unchecked, whatever keyed them (for viewing a bank; such a bank selects by the stored keys only).
   */
  public static SkillBank restore(Path dir, SkillBankSettings settings, UnaryOperator<String> bufferOf)
      throws IOException {
    Path file = dir.resolve(FILE_NAME);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    SkillBank bank = new SkillBank(settings, bufferOf == null ? UnaryOperator.identity() : bufferOf);
    try {
      JsonNode root = SkillJson.strictReader().readTree(text);
      if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT) {
        throw new IllegalArgumentException("expected an object with \"format\": " + FORMAT);
      }
      for (JsonNode t : required(root, "tasks")) {
        String taskId = required(t, "task_id").textValue();
        if (taskId == null || taskId.isBlank()) {
          throw new IllegalArgumentException("a task has no task_id");
        }
        Buffer buffer = new Buffer();
        buffer.selections = nonNegative(t, "selections");
        buffer.nextSequence = nonNegative(t, "next_sequence");
        for (JsonNode s : required(t, "skills")) {
          Skill skill = bank.json.fromTree(required(s, "skill"));
          String from = skill.provenance().taskId();
          if (bufferOf != null && !bank.bufferOf(from).equals(taskId)) {
            throw new IllegalArgumentException(bank.bufferOf(from).equals(from)
                ? "a skill of task '" + taskId + "' names task '" + from + "' in its provenance"
                : "a skill in buffer '" + taskId + "' comes from task '" + from + "', whose buffer is '"
                    + bank.bufferOf(from) + "' (was the bank written with another skillsd.train.skill-retrieval?)");
          }
          Entry entry = new Entry(idOf(skill), nonNegative(s, "sequence"), skill);
          if (!entry.id.equals(required(s, "id").textValue())) {
            throw new IllegalArgumentException("skill " + required(s, "id") + " of task '" + taskId
                + "' does not match its text (expected id " + entry.id + ")");
          }
          entry.selections = nonNegative(s, "selections");
          entry.rewards = nonNegative(s, "rewards");
          JsonNode mean = required(s, "mean_reward");
          if (!mean.isNumber() || !Double.isFinite(mean.doubleValue())) {
            throw new IllegalArgumentException("mean_reward of skill " + entry.id + " is not a finite number");
          }
          entry.meanReward = mean.doubleValue();
          if (entry.sequence >= buffer.nextSequence) {
            throw new IllegalArgumentException("skill " + entry.id + " has sequence " + entry.sequence
                + ", not below next_sequence " + buffer.nextSequence);
          }
          if (!buffer.entries.isEmpty() && buffer.entries.get(buffer.entries.size() - 1).sequence >= entry.sequence) {
            throw new IllegalArgumentException("skills of task '" + taskId + "' are not in sequence order");
          }
          buffer.entries.add(entry);
        }
        if (buffer.entries.size() > settings.capacity()) {
          throw new IllegalArgumentException("task '" + taskId + "' holds " + buffer.entries.size()
              + " skills, over the configured capacity " + settings.capacity());
        }
        if (bank.buffers.put(taskId, buffer) != null) {
          throw new IllegalArgumentException("task '" + taskId + "' appears twice");
        }
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IOException("corrupt skill bank " + file + ": " + e.getMessage(), e);
    }
    return bank;
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing \"" + field + "\"");
    }
    return value;
  }

  private static long nonNegative(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw new IllegalArgumentException("\"" + field + "\" must be a non-negative integer, was " + value);
    }
    return value.longValue();
  }

  /** One task's buffer; entries stay in sequence order. */
  private static final class Buffer {
    final List<Entry> entries = new ArrayList<>();
    long selections;
    long nextSequence;
  }

  /** A stored skill and its mutable statistics; only the bank touches it, under its lock. */
  private static final class Entry {
    final String id;
    final long sequence;
    final Skill skill;
    long selections;
    long rewards;
    double meanReward;

    Entry(String id, long sequence, Skill skill) {
      this.id = id;
      this.sequence = sequence;
      this.skill = skill;
    }

    SkillStats stats() {
      return new SkillStats(id, sequence, skill, selections, rewards, meanReward);
    }
  }
}
