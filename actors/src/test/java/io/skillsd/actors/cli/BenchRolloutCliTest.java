package io.skillsd.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.actors.bench.RolloutBench;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code skillsd bench rollout}, run small: every round measures each mode, and the compared two alternate. */
class BenchRolloutCliTest {

  private static final Pattern ROUND = Pattern.compile("^\\s*round (\\d+)\\s+(.+?)\\s+[\\d.]+ s\\s");

  @Test
  void roundsAlternateTheComparedModesAndReportPerRoundRatios() {
    CliRun r = CliRun.of("bench", "rollout", "--episodes", "2", "--episodes-per-slot", "2", "--repeats", "2",
        "--max-new-tokens", "4", "-D", "skillsd.policy.model=builtin:tiny");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("rollout benchmark: 2 concurrent episodes (4 each measurement, 2 per slot) of sokoban"),
        r.out());
    List<String[]> rounds = r.out().lines().map(ROUND::matcher).filter(Matcher::find)
        .map(m -> new String[] {m.group(1), m.group(2)}).toList();
    assertEquals(6, rounds.size(), r.out());
    // round 1: actors first; round 2: the plain loop first; one request at a time last in both
    assertEquals(List.of(RolloutBench.BATCHED, RolloutBench.PLAIN, RolloutBench.ONE_AT_A_TIME),
        rounds.subList(0, 3).stream().map(x -> x[1]).toList(), r.out());
    assertEquals(List.of(RolloutBench.PLAIN, RolloutBench.BATCHED, RolloutBench.ONE_AT_A_TIME),
        rounds.subList(3, 6).stream().map(x -> x[1]).toList(), r.out());
    assertTrue(r.out().contains("dynamic batching vs one request at a time: "), r.out());
    assertTrue(r.out().lines().filter(l -> l.contains("(ratio of medians); per round median ") && l.contains("(range "))
        .count() == 2, r.out());
    // where each mode's time went: its forward steps by rows in the batch; one request at a time is one row only
    List<String> steps = r.out().lines().dropWhile(l -> !l.startsWith("forward steps by rows in the batch")).skip(1)
        .toList();
    assertEquals(3, steps.size(), r.out());
    for (String mode : List.of(RolloutBench.BATCHED, RolloutBench.PLAIN, RolloutBench.ONE_AT_A_TIME)) {
      String line = steps.stream().filter(l -> l.trim().startsWith(mode)).findFirst().orElseThrow();
      assertTrue(line.matches(".*prefill [\\d-]+ rows? [\\d.]+ ms \\(\\d+\\).*; decode [\\d-]+ rows? [\\d.]+ ms \\(\\d+\\).*"),
          line);
    }
    String oneAtATime = steps.stream().filter(l -> l.trim().startsWith(RolloutBench.ONE_AT_A_TIME)).findFirst()
        .orElseThrow();
    assertTrue(!oneAtATime.contains("rows"), oneAtATime);
    String batched = steps.stream().filter(l -> l.trim().startsWith(RolloutBench.BATCHED)).findFirst().orElseThrow();
    assertTrue(batched.contains("2-3 rows"), batched);
  }
}
