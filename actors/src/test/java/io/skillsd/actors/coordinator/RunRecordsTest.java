package io.skillsd.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a resumed run removes first: the records of iterations after its checkpoint. */
class RunRecordsTest {

  @TempDir
  Path run;

  /** A run that evaluated every 5 iterations and died in iteration 7, its last metrics line half written. */
  private void killedInIterationSeven() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("{\"type\":\"eval\",\"label\":\"before\",\"iteration\":0}");
    for (int i = 1; i <= 6; i++) {
      lines.add("{\"type\":\"train\",\"iteration\":" + i + "}");
      if (i == 5) {
        lines.add("{\"type\":\"eval\",\"label\":\"periodic\",\"iteration\":5}");
      }
    }
    lines.add("{\"type\":\"train\",\"itera");
    Files.write(run.resolve("metrics.jsonl"), lines);
    Path t = Files.createDirectories(run.resolve("trajectories"));
    for (String stage : new String[] {"eval-0000", "iter-0001", "iter-0002", "iter-0003", "iter-0004", "iter-0005",
        "eval-0005", "iter-0006", "iter-0007"}) {
      Files.writeString(t.resolve(stage + ".jsonl"), "{}\n");
    }
  }

  @Test
  void laterIterationsAndTheEvaluationsFromTheCheckpointOnAreRemoved() throws IOException {
    killedInIterationSeven();
    RunRecords.RolledBack r = RunRecords.rollBackTo(run, 5);
    assertEquals(List.of(
        "{\"type\":\"eval\",\"label\":\"before\",\"iteration\":0}",
        "{\"type\":\"train\",\"iteration\":1}", "{\"type\":\"train\",\"iteration\":2}",
        "{\"type\":\"train\",\"iteration\":3}", "{\"type\":\"train\",\"iteration\":4}",
        "{\"type\":\"train\",\"iteration\":5}"), Files.readAllLines(run.resolve("metrics.jsonl")));
    // the evaluation after iteration 5 is made again by the resumed run; 6 and the cut line go
    assertEquals(3, r.metricsLines());
    assertEquals(List.of("eval-0005.jsonl", "iter-0006.jsonl", "iter-0007.jsonl"), r.trajectoryFiles());
    assertEquals(List.of("eval-0000.jsonl", "iter-0001.jsonl", "iter-0002.jsonl", "iter-0003.jsonl", "iter-0004.jsonl",
        "iter-0005.jsonl"), stages());
  }

  @Test
  void aRunThatStoppedAtItsCheckpointLosesNothing() throws IOException {
    Files.write(run.resolve("metrics.jsonl"), List.of(
        "{\"type\":\"eval\",\"label\":\"before\",\"iteration\":0}", "{\"type\":\"train\",\"iteration\":1}",
        "{\"type\":\"train\",\"iteration\":2}"));
    Files.createDirectories(run.resolve("trajectories"));
    Files.writeString(run.resolve("trajectories/iter-0002.jsonl"), "{}\n");
    byte[] before = Files.readAllBytes(run.resolve("metrics.jsonl"));
    RunRecords.RolledBack r = RunRecords.rollBackTo(run, 2);
    assertFalse(r.any());
    assertEquals(new String(before), Files.readString(run.resolve("metrics.jsonl")));
    assertEquals(List.of("iter-0002.jsonl"), stages());
  }

  private List<String> stages() throws IOException {
    try (Stream<Path> s = Files.list(run.resolve("trajectories"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
