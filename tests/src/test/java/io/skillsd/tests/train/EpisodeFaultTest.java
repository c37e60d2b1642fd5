package io.skillsd.tests.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainingRun;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An environment that throws on a schedule does not stop the run, and every episode is accounted for. */
class EpisodeFaultTest {

  @Test
  void failingEnvironmentsAreReRunAndCounted(@TempDir Path dir) throws Exception {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.environment.name", "flaky-sokoban");
    o.put("skillsd.environment.options.flaky-sokoban.fail-every", "4");
    o.put("skillsd.environment.options.flaky-sokoban.preset", "ragen");
    o.put("skillsd.environment.options.flaky-sokoban.train-size", "2");
    o.put("skillsd.environment.options.flaky-sokoban.test-size", "2");
    o.put("skillsd.train.iterations", "2");
    o.put("skillsd.train.group-size", "4");
    o.put("skillsd.train.record-token-logprobs", "false");
    int thrownBefore = FlakyEnvironmentProvider.THROWN.get();

    TrainingRun.Result result = TrainingRun.run(SkillsdSettings.load(null, o));
    assertTrue(result.ok(), result.message());

    List<JsonNode> metrics = SkillSdEndToEndTest.lines(result.runDir().resolve("metrics.jsonl"));
    JsonNode last = metrics.stream().filter(m -> m.path("type").asText().equals("train")).reduce((a, b) -> b).orElseThrow();
    long launched = last.path("launched").asLong();
    long completed = last.path("completed").asLong();
    long retried = last.path("retried").asLong();
    long failed = last.path("failed").asLong();
    int thrown = FlakyEnvironmentProvider.THROWN.get() - thrownBefore;
    assertTrue(thrown > 0, "the schedule made environments throw");
    assertTrue(retried > 0, "failed episodes were re-run");
    assertEquals(launched, completed + retried + failed, "launched = completed + retried + failed");
    assertEquals(2 * 2 * 4, completed + failed, "every planned episode completed or was given up");
    // Each training-episode failure is one retried or failed attempt (evaluation episodes are not counted).
    assertTrue(retried + failed <= thrown, "no failure counted twice");
  }
}
