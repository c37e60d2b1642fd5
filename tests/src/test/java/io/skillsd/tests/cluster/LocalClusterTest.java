package io.skillsd.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.cluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode across real JVMs on 127.0.0.1: a learner and two rollout nodes train a few iterations with
 * episodes from both nodes; and when one rollout JVM is killed with SIGKILL in the middle of an iteration,
 * the run finishes, its episodes are re-run on the other node, and every episode is counted once.
 *
 * <p>Tagged long (each test starts three JVMs and takes one to three minutes on two cores): it serves the
 * cluster mode's acceptance (multi-JVM run, node loss).
 */
@Tag("long")
class LocalClusterTest {

  private static final int ITERATIONS = 3;
  private static final int TASKS = 2;
  private static final int GROUP = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> trainArgs(Path dir) {
    Map<String, String> o = new TreeMap<>(Map.of(
        "skillsd.run.dir", dir.toString(),
        "skillsd.run.id", "cluster",
        "skillsd.run.seed", "3",
        "skillsd.environment.options.sokoban.preset", "ragen",
        "skillsd.environment.options.sokoban.train-size", "2",
        "skillsd.environment.options.sokoban.test-size", "2",
        "skillsd.train.iterations", Integer.toString(ITERATIONS),
        "skillsd.train.tasks-per-iteration", Integer.toString(TASKS),
        "skillsd.train.group-size", Integer.toString(GROUP),
        // replies long enough that an iteration's rollouts last a while, so the kill below lands inside one
        "skillsd.train.max-new-tokens", "48"));
    o.put("skillsd.policy.model", "builtin:tiny");
    List<String> args = new ArrayList<>();
    o.forEach((k, v) -> {
      args.add("-D");
      args.add(k + "=" + v);
    });
    return args;
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  private static List<JsonNode> trajectories(Path run, String prefix) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(run.resolve("trajectories"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
        out.addAll(lines(f));
      }
    }
    return out;
  }

  private static String log(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file) : "";
  }

  private static int run(LocalCluster cluster, Path logs) throws Exception {
    Optional<Integer> code = cluster.awaitLearner(420);
    assertTrue(code.isPresent(), "the run did not finish in time; learner log:\n" + tail(log(logs.resolve("learner.log"))));
    return code.get();
  }

  private static String tail(String s) {
    return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
  }

  @Test
  void learnerAndTwoRolloutNodesTrainWithEpisodesFromBoth(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    try (LocalCluster cluster = LocalCluster.start("127.0.0.1", 2, trainArgs(dir), Optional.of(logs))) {
      int code = run(cluster, logs);
      assertEquals(0, code, tail(log(logs.resolve("learner.log"))));
    }
    Path run = dir.resolve("cluster");
    Set<String> nodes = new HashSet<>();
    for (JsonNode t : trajectories(run, "iter-")) {
      nodes.add(t.path("node").asText());
    }
    assertEquals(2, nodes.size(), "training episodes ran on both rollout nodes: " + nodes);
    assertFalse(nodes.contains("local"), nodes.toString());
    List<JsonNode> train = lines(run.resolve("metrics.jsonl")).stream()
        .filter(m -> m.path("type").asText().equals("train")).toList();
    assertEquals(ITERATIONS, train.size());
    for (JsonNode m : train) {
      assertEquals(2, m.path("rollout_nodes").asInt(), m.toString());
      long sum = 0;
      for (JsonNode n : m.path("episodes_by_node")) {
        sum += n.asLong();
      }
      assertEquals(TASKS * GROUP, sum, m.toString());
      assertTrue(m.path("weights_broadcast_seconds").asDouble() >= 0, m.toString());
    }
    JsonNode last = train.get(train.size() - 1);
    assertEquals((long) ITERATIONS * TASKS * GROUP, last.path("completed").asLong());
    assertEquals(0, last.path("retried").asLong());
  }

  @Test
  void aKilledRolloutNodesEpisodesAreReRunElsewhere(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    String killed;
    try (LocalCluster cluster = LocalCluster.start("127.0.0.1", 2, trainArgs(dir), Optional.of(logs))) {
      Path victimLog = logs.resolve("rollout-0.log");
      // Kill the node as soon as it has started an episode of iteration 2, in the middle of its rollouts.
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (!log(victimLog).contains("episode it0002-") && System.nanoTime() < deadline
          && cluster.learner().isAlive()) {
        Thread.sleep(20);
      }
      assertTrue(log(victimLog).contains("episode it0002-"), tail(log(victimLog)));
      Matcher m = Pattern.compile("rollout node (\\S+) up").matcher(log(victimLog));
      assertTrue(m.find(), tail(log(victimLog)));
      killed = m.group(1);
      cluster.rollouts().get(0).destroyForcibly(); // SIGKILL: no goodbye to the cluster
      assertTrue(cluster.rollouts().get(0).waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
      int code = run(cluster, logs);
      assertEquals(0, code, tail(log(logs.resolve("learner.log"))));
    }
    String learnerLog = log(logs.resolve("learner.log"));
    assertTrue(learnerLog.contains("in flight on lost node " + killed), tail(learnerLog));

    Path run = dir.resolve("cluster");
    JsonNode last = lines(run.resolve("metrics.jsonl")).stream()
        .filter(x -> x.path("type").asText().equals("train")).reduce((a, b) -> b).orElseThrow();
    long launched = last.path("launched").asLong();
    long completed = last.path("completed").asLong();
    long retried = last.path("retried").asLong();
    long failed = last.path("failed").asLong();
    assertTrue(retried > 0, "the killed node's episodes were re-run: " + last);
    assertEquals(launched, completed + retried + failed, "launched = completed + retried + failed: " + last);
    assertEquals((long) ITERATIONS * TASKS * GROUP, completed + failed, "every planned episode counted once: " + last);

    // Each planned episode has exactly one trajectory; the re-runs ran on the node that was left.
    List<JsonNode> episodes = trajectories(run, "iter-");
    Set<String> planned = new HashSet<>();
    for (JsonNode t : episodes) {
      String id = t.path("episodeId").asText().replaceAll("-r\\d+$", "");
      assertTrue(planned.add(id), "episode " + id + " counted twice");
      if (t.path("episodeId").asText().matches(".*-r\\d+$")) {
        assertFalse(t.path("node").asText().equals(killed), t.path("episodeId").asText() + " re-ran on the killed node");
      }
    }
    assertTrue(episodes.stream().anyMatch(t -> t.path("episodeId").asText().matches(".*-r\\d+$")), "a re-run is recorded");
    assertEquals(ITERATIONS * TASKS * GROUP, planned.size());
  }
}
