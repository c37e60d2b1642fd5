package io.skillsd.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.cli.SkillsdCli;
import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Scripting environments through {@code skillsd env}: a reference agent's calls, replayed, pass again. */
class EnvReplayTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> run(String... args) {
    CommandLine cli = SkillsdCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertEquals(0, cli.execute(args), String.join(" ", args));
    return out.toString().lines().toList();
  }

  @Test
  void miniAppWorldReferenceCallsReplayedThroughTheCliPass(@TempDir Path dir) throws Exception {
    Environment env = EnvironmentRegistry.load().create("miniappworld", Map.of());
    for (Task task : List.of(env.tasks().train().get(0), env.tasks().test().get(env.tasks().test().size() - 1))) {
      Trajectory t = Episodes.play(env, task, env.referenceAgent().orElseThrow(), 100);
      assertTrue(t.metrics().success(), "reference agent solves " + task.id());
      Path calls = dir.resolve("calls.jsonl");
      StringBuilder lines = new StringBuilder();
      for (Trajectory.Turn turn : t.turns()) {
        lines.append(JSON.writeValueAsString(turn.actionText())).append('\n');
      }
      Files.writeString(calls, lines);

      List<String> out = run("env", "miniappworld", "--task", task.id(), "--actions-file", calls.toString());
      JsonNode last = JSON.readTree(out.get(out.size() - 1));
      assertTrue(last.path("success").asBoolean(), "replayed calls pass " + task.id() + ": " + last);
      assertEquals(1.0, last.path("completion").asDouble());
      assertEquals(t.turns().size() + 1, out.size(), "one JSON line per call plus the summary");
    }
  }

  @Test
  void sokobanSolvePrintsAPlanThatSolves() throws Exception {
    List<String> out = run("env", "sokoban", "--preset", "ragen", "--seed", "7", "--solve");
    JsonNode last = JSON.readTree(out.get(out.size() - 1));
    assertTrue(last.path("success").asBoolean(), last.toString());
    List<String> replay = run("env", "sokoban", "--preset", "ragen", "--seed", "7", "--actions",
        String.join(",", out.subList(0, out.size() - 1).stream()
            .map(l -> {
              try {
                return String.join(" || ", JSON.convertValue(JSON.readTree(l).path("info").path("actions"), String[].class));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            }).toList()));
    assertTrue(JSON.readTree(replay.get(replay.size() - 1)).path("success").asBoolean(), "replaying the plan solves");
  }
}
