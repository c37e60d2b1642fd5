package io.skillsd.tests.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.settings.SettingsException;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainSettings;
import io.skillsd.actors.train.TrainingRun;
import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.policies.checkpoint.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every algorithm variant of the paper's comparison runs end to end and uses the loss terms it should. */
class AlgorithmVariantsTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}, rollouts {1}")
  @CsvSource({"grpo, student", "opd, student", "skill-augmented-grpo, student", "skill-sd, teacher"})
  void variantRuns(String algorithm, String rollouts) throws Exception {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.run.id", algorithm + "-" + rollouts);
    o.put("skillsd.train.algorithm", algorithm);
    o.put("skillsd.train.rollouts", rollouts);
    o.put("skillsd.train.iterations", "2");
    o.put("skillsd.train.group-size", "2");
    o.put("skillsd.train.record-token-logprobs", "false");
    TrainingRun.Result result = TrainingRun.run(SkillsdSettings.load(null, o));
    assertTrue(result.ok(), result.message());

    List<JsonNode> train = SkillSdEndToEndTest.lines(result.runDir().resolve("metrics.jsonl")).stream()
        .filter(m -> m.path("type").asText().equals("train")).toList();
    assertEquals(2, train.size());
    JsonNode second = train.get(1);
    switch (algorithm) {
      case "grpo" -> {
        assertEquals(0, second.path("skills_selected").asInt(), "GRPO retrieves no skills");
        assertEquals(0, second.path("teacher_scored").asInt());
        assertEquals(0.0, second.path("sdl_loss").asDouble());
      }
      case "opd" -> {
        assertTrue(second.path("teacher_scored").asInt() > 0, "OPD distills from the teacher");
        assertEquals(0.0, second.path("grpo_loss").asDouble(), "OPD has no reward term");
      }
      case "skill-augmented-grpo" -> {
        assertEquals(2, second.path("skills_selected").asInt(), "skills go into the rollout prompt");
        assertEquals(0, second.path("teacher_scored").asInt(), "no teacher in skill-augmented GRPO");
      }
      default -> {
        assertEquals(2, second.path("skills_selected").asInt());
        assertTrue(second.path("teacher_scored").asInt() > 0);
      }
    }
  }

  /**
   * The skill-conditioned maintenance term: on the shipped base agent (which solves some training levels),
   * every successful trajectory is replayed under the teacher's prompt with the skill summarized from
   * itself, and its negative log-likelihood enters the loss.
   */
  @Test
  void maintenanceTermReplaysSuccessesUnderTheirOwnSkills() throws Exception {
    Path run = baseAgentRun("maintenance", Map.of("skillsd.train.maintenance-weight", "1"));
    List<JsonNode> train = trainLines(run);
    long successes = 0;
    long marked = 0;
    for (JsonNode t : trajectories(run)) {
      successes += t.path("success").asBoolean() ? 1 : 0;
      if (t.path("maintenance").asBoolean()) {
        marked++;
        assertTrue(t.path("success").asBoolean(), "only successes are replayed: " + t);
      }
    }
    assertTrue(successes > 0, "the base agent solved some training episodes");
    assertEquals(successes, marked, "every success is replayed (the analyst summarizer always gives a skill)");
    List<JsonNode> replayed = train.stream().filter(m -> m.path("maintenance_tokens").asInt() > 0).toList();
    assertTrue(!replayed.isEmpty(), "some iteration replayed a success: " + train);
    for (JsonNode m : replayed) {
      assertTrue(m.path("maintenance_loss").asDouble() > 0, m.toString());
    }
  }

  /**
   * Maintenance {@code kl-initial}: the run keeps the base agent's weights as θ₀ in every checkpoint (equal
   * to the loaded model's, while θ moves), the term's KL enters the loss, and a resumed run keeps the same θ₀.
   */
  @Test
  void klToTheInitialWeightsKeepsThemThroughCheckpointsAndResume() throws Exception {
    Path run = baseAgentRun("kl-initial", Map.of("skillsd.train.maintenance-weight", "1",
        "skillsd.train.maintenance", "kl-initial", "skillsd.train.checkpoint-every", "1"));
    List<JsonNode> replayed =
        trainLines(run).stream().filter(m -> m.path("maintenance_tokens").asInt() > 0).toList();
    assertTrue(!replayed.isEmpty(), "some iteration replayed a success");
    for (JsonNode m : replayed) {
      double kl = m.path("maintenance_loss").asDouble(-1);
      assertTrue(kl > -1e-6 && kl < 10, m.toString()); // θ starts at θ₀: a small KL (≥ 0 up to rounding)
    }
    Map<String, HostTensor> initial;
    try (TrainingModels loaded = TrainingModels.load(baseAgent().toString(), 0)) {
      initial = loaded.studentNetwork().toHost();
    }
    TrainingRun.Result resumed = TrainingRun.resume(run, Map.of("skillsd.train.iterations", "3"));
    assertTrue(resumed.ok(), resumed.message());
    List<Path> checkpoints;
    try (var dirs = Files.list(run.resolve("checkpoints"))) {
      checkpoints = dirs.sorted().toList();
    }
    assertTrue(checkpoints.size() >= 2, "a checkpoint per iteration, the last one as final: " + checkpoints);
    for (Path checkpoint : checkpoints) {
      assertEquals(initial, TrainingModels.readAll(checkpoint.resolve(TrainingModels.INITIAL_WEIGHTS)),
          checkpoint.toString());
    }
    Path last = run.resolve("checkpoints/final");
    // the dynamic teacher is synced from θ after every update: θ moved away from θ₀
    assertTrue(!initial.equals(TrainingModels.readAll(last.resolve(TrainingModels.TEACHER_WEIGHTS))));
  }

  /**
   * Teacher skill {@code group-success}: a group with a success has every member scored under a skill
   * summarized from that success (already in the first iteration, before the bank holds anything).
   */
  @Test
  void groupSuccessSkillsAreSharedWithTheWholeGroup() throws Exception {
    Path run = baseAgentRun("group-success", Map.of(
        "skillsd.train.teacher-skill", "group-success", "skillsd.train.maintenance-weight", "1"));
    List<JsonNode> train = trainLines(run);
    int shared = train.stream().mapToInt(m -> m.path("group_success_skills").asInt()).sum();
    assertTrue(shared > 0, "some group had a success to share: " + train);

    Map<String, List<JsonNode>> groups = new HashMap<>();
    for (JsonNode t : trajectories(run)) {
      String id = t.path("episodeId").asText();
      groups.computeIfAbsent(id.substring(0, id.lastIndexOf('-')), k -> new java.util.ArrayList<>()).add(t);
    }
    int sharedGroups = 0;
    for (List<JsonNode> group : groups.values()) {
      List<JsonNode> successes = group.stream().filter(t -> t.path("success").asBoolean()).sorted(
          java.util.Comparator.comparing(t -> t.path("episodeId").asText())).toList();
      if (successes.isEmpty()) {
        group.forEach(t -> assertTrue(!t.path("teacher_skill").asText().startsWith("group:"), t.toString()));
        continue;
      }
      sharedGroups++;
      String expected = "group:" + successes.get(0).path("episodeId").asText();
      for (JsonNode t : group) {
        assertEquals(expected, t.path("teacher_skill").asText(), "every member under the first success's skill");
        assertEquals(t.path("success").asBoolean(), t.path("maintenance").asBoolean(), "successes are replayed");
      }
    }
    assertEquals(shared, sharedGroups);
  }

  /**
   * Skill sources {@code successes}: only solved training episodes are summarized, so every skill in the
   * bank comes from a success, and a success of an iteration before the last made one.
   */
  @Test
  void skillsFromSuccessesOnly() throws Exception {
    Path run = baseAgentRun("successes", Map.of("skillsd.train.skill-sources", "successes",
        "skillsd.train.iterations", "3"));
    Map<String, Boolean> solved = new HashMap<>();
    for (JsonNode t : trajectories(run)) {
      solved.put(t.path("episodeId").asText(), t.path("success").asBoolean());
    }
    assertTrue(solved.containsValue(true) && solved.containsValue(false), "the base agent both solved and failed: " + solved);
    java.util.Set<String> sources = new java.util.HashSet<>();
    for (JsonNode task : new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("skills/bank.json").toFile()).path("tasks")) {
      for (JsonNode skill : task.path("skills")) {
        String from = skill.path("skill").path("provenance").path("trajectory_id").asText();
        assertEquals(Boolean.TRUE, solved.get(from), "a skill from " + from + ", which is not a success");
        sources.add(from);
      }
    }
    List<String> earlier = solved.entrySet().stream().filter(e -> e.getValue() && !e.getKey().startsWith("it0003")
        && e.getKey().startsWith("it")).map(Map.Entry::getKey).toList();
    assertTrue(!earlier.isEmpty(), "iterations 1-2 had a success: " + solved);
    assertTrue(sources.containsAll(earlier), "each success of iterations 1-2 made a skill: " + earlier + " vs " + sources);
  }

  /**
   * Skill retrieval {@code similar}: the bank keeps one buffer per level layout, so levels with the same layout
   * (training levels 7 and 10 of the first 11: a box one cell left of the player, its target two) share their
   * skills, and every skill a group was scored under comes from a level of the group's layout.
   */
  @Test
  void similarLevelsShareOneSkillBuffer() throws Exception {
    Path run = baseAgentRun("similar", Map.of("skillsd.train.skill-retrieval", "similar",
        "skillsd.train.skill-sources", "successes", "skillsd.environment.options.sokoban.train-size", "11",
        "skillsd.train.tasks-per-iteration", "11", "skillsd.train.group-size", "2", "skillsd.train.iterations", "3"));
    Environment env = EnvironmentRegistry.load().create("sokoban", Map.of("preset", "ragen", "train-size", "11",
        "test-size", "2"));
    Map<String, String> layoutOf = new HashMap<>();
    env.tasks().train().forEach(t -> layoutOf.put(t.id(), env.similarityKey(t).orElseThrow()));
    assertEquals(layoutOf.get("sokoban/ragen/train/007"), layoutOf.get("sokoban/ragen/train/010"));
    Map<String, String> sourceOf = new HashMap<>();
    JsonNode buffers = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("skills/bank.json").toFile()).path("tasks");
    assertTrue(buffers.size() > 0, "the base agent solved some levels");
    for (JsonNode buffer : buffers) {
      String key = buffer.path("task_id").asText();
      for (JsonNode skill : buffer.path("skills")) {
        String from = skill.path("skill").path("provenance").path("task_id").asText();
        assertEquals("similar: " + layoutOf.get(from), key, "buffer of a skill from " + from);
        sourceOf.put(skill.path("id").asText(), from);
      }
    }
    assertTrue(buffers.size() <= new java.util.HashSet<>(layoutOf.values()).size());
    int scored = 0;
    for (JsonNode t : trajectories(run)) {
      if (t.has("skill")) {
        String task = t.path("task").asText();
        String from = sourceOf.get(t.path("skill").asText());
        if (from != null) { // a skill evicted since is no longer in the bank
          assertEquals(layoutOf.get(task), layoutOf.get(from), task + " was scored under a skill from " + from);
          scored++;
        }
      }
    }
    assertTrue(scored > 0, "some groups were scored under a bank skill");
  }

  /** Under the default {@code similar} retrieval, an environment without similarity keys keeps a buffer per task. */
  @Test
  void similarRetrievalKeepsPerTaskBuffersWithoutSimilarityKeys() throws Exception {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.environment.name", "guess-number");
    o.put("skillsd.train.skill-retrieval", "similar");
    o.put("skillsd.train.skill-sources", "all");
    TrainingRun.Result result = TrainingRun.run(SkillsdSettings.load(null, o));
    assertTrue(result.ok(), result.message());
    JsonNode buffers = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(result.runDir().resolve("skills/bank.json").toFile()).path("tasks");
    assertTrue(buffers.size() > 0, "skills were written");
    for (JsonNode buffer : buffers) {
      String key = buffer.path("task_id").asText();
      assertTrue(key.startsWith("guess/train/"), "a task's own buffer: " + key);
      for (JsonNode skill : buffer.path("skills")) {
        assertEquals(key, skill.path("skill").path("provenance").path("task_id").asText());
      }
    }
  }

  @Test
  void groupSuccessSkillsNeedATeacher() {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.train.algorithm", "skill-augmented-grpo");
    o.put("skillsd.train.teacher-skill", "group-success");
    SettingsException e = assertThrows(SettingsException.class, () -> TrainSettings.from(SkillsdSettings.load(null, o)));
    assertTrue(e.getMessage().contains("skillsd.train.teacher-skill"), e.getMessage());
  }

  @Test
  void maintenanceNeedsATeacher() {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.train.algorithm", "grpo");
    o.put("skillsd.train.maintenance-weight", "0.5");
    SettingsException e = assertThrows(SettingsException.class, () -> TrainSettings.from(SkillsdSettings.load(null, o)));
    assertTrue(e.getMessage().contains("skillsd.train.maintenance-weight"), e.getMessage());
    assertTrue(e.getMessage().contains("skill-sd or opd"), e.getMessage());
  }

  /** Two iterations of Skill-SD from the shipped base agent (which solves some training levels), plus {@code extra}. */
  private Path baseAgentRun(String id, Map<String, String> extra) throws Exception {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.run.id", id);
    o.put("skillsd.policy.model", baseAgent().toString());
    o.put("skillsd.train.iterations", "2");
    o.put("skillsd.train.group-size", "4");
    o.put("skillsd.train.learning-rate", "0.0001");
    o.put("skillsd.train.record-token-logprobs", "false");
    o.putAll(extra);
    TrainingRun.Result result = TrainingRun.run(SkillsdSettings.load(null, o));
    assertTrue(result.ok(), result.message());
    return result.runDir();
  }

  private static List<JsonNode> trainLines(Path run) throws Exception {
    return SkillSdEndToEndTest.lines(run.resolve("metrics.jsonl")).stream()
        .filter(m -> m.path("type").asText().equals("train")).toList();
  }

  private static List<JsonNode> trajectories(Path run) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    try (var files = Files.list(run.resolve("trajectories"))) {
      for (Path f : files.sorted().toList()) {
        out.addAll(SkillSdEndToEndTest.lines(f));
      }
    }
    return out;
  }

  /** The shipped base agent, found from the module directory the tests run in. */
  private static Path baseAgent() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path agent = p.resolve("models/base-agent");
      if (Files.isRegularFile(agent.resolve("config.json"))) {
        return agent;
      }
    }
    throw new IllegalStateException("models/base-agent not found above " + Path.of("").toAbsolutePath());
  }
}
