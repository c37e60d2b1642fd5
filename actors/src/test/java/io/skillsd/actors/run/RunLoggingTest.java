package io.skillsd.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLoggingTest {

  private record Hello(String episodeId, ActorRef<String> replyTo) {}

  /** An actor that logs one line per message with the run's MDC, as every skillsd actor does. */
  private static Behavior<Hello> greeter(String runId) {
    return Behaviors.withMdc(Hello.class,
        Map.of(RunLogging.RUN_ID, runId, RunLogging.ROLE, "greeter"),
        msg -> Map.of(RunLogging.EPISODE_ID, msg.episodeId()),
        Behaviors.receive((ctx, msg) -> {
          ctx.getLog().info("hello from episode {}", msg.episodeId());
          msg.replyTo().tell("done");
          return Behaviors.same();
        }));
  }

  @Test
  void actorLogLineIsJsonWithRunIdAndAkkaSource(@TempDir Path dir) throws Exception {
    ActorTestKit kit = ActorTestKit.create("run-logging");
    Path logFile = dir.resolve(RunLogging.LOG_FILE);
    try (RunLogging logging = RunLogging.attach(dir, "run-42")) {
      ActorRef<Hello> actor = kit.spawn(greeter("run-42"), "greeter");
      TestProbe<String> probe = kit.createTestProbe();
      actor.tell(new Hello("ep-7", probe.ref()));
      probe.expectMessage("done");
    } finally {
      kit.shutdownTestKit();
    }
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(logFile);
    Optional<JsonNode> line = lines.stream().map(l -> {
      try {
        return json.readTree(l);
      } catch (Exception e) {
        throw new AssertionError("not one JSON object per line: " + l, e);
      }
    }).filter(n -> n.path("message").asText().contains("hello from episode")).findFirst();
    assertTrue(line.isPresent(), "the actor's line is in " + lines);
    JsonNode mdc = line.get().path("mdc");
    assertEquals("run-42", mdc.path("runId").asText());
    assertEquals("greeter", mdc.path("role").asText());
    assertEquals("ep-7", mdc.path("episodeId").asText());
    assertTrue(mdc.path("akkaSource").asText().contains("greeter"), mdc.toString());
    assertEquals("INFO", line.get().path("level").asText());
  }
}
