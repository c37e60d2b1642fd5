package io.skillsd.policies.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.ModelConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward-step timings: buckets by rows, the summary, and what a generation records while started. */
class StepTimingsTest {

  @Test
  void bucketsAreRowsInPowersOfTwo() {
    StepTimings t = new StepTimings();
    t.record(StepTimings.Kind.DECODE, 1, 2_000_000);
    t.record(StepTimings.Kind.DECODE, 3, 4_000_000);
    t.record(StepTimings.Kind.DECODE, 2, 3_000_000);
    t.record(StepTimings.Kind.PREFILL, 16, 50_000_000);
    t.record(StepTimings.Kind.DECODE, 2, 5_000_000);
    Map<StepTimings.Bucket, double[]> ms = t.millis();
    assertEquals(List.of(new StepTimings.Bucket(StepTimings.Kind.PREFILL, 16, 31),
        new StepTimings.Bucket(StepTimings.Kind.DECODE, 1, 1), new StepTimings.Bucket(StepTimings.Kind.DECODE, 2, 3)),
        List.copyOf(ms.keySet()));
    assertArrayEquals(new double[] {3, 4, 5}, ms.get(new StepTimings.Bucket(StepTimings.Kind.DECODE, 2, 3)));
    assertEquals("prefill 16-31 rows 50.00 ms (1); decode 1 row 2.00 ms (1), 2-3 rows 4.00 ms (3)", t.summary());
    assertEquals("no steps", new StepTimings().summary());
  }

  @Test
  void aGenerationRecordsOnePrefillAndItsDecodeStepsWhileStarted() {
    try (CausalLm model = CausalLm.random(ModelConfig.tiny(64), 3, CausalLm.defaultDevice())) {
      Generator g = new Generator(model);
      List<GenerationRequest> requests = List.of(
          new GenerationRequest(new int[] {1, 2, 3, 4}, new SamplingParams(1f, 1f, 5, List.of(), 1)),
          new GenerationRequest(new int[] {5, 6}, new SamplingParams(1f, 1f, 5, List.of(), 2)));
      StepTimings t = new StepTimings();
      StepTimings.start(t);
      try {
        g.generate(requests);
      } finally {
        StepTimings.stop();
      }
      g.generate(requests); // not recorded
      Map<StepTimings.Bucket, double[]> ms = t.millis();
      assertEquals(1, ms.get(new StepTimings.Bucket(StepTimings.Kind.PREFILL, 2, 3)).length, t.summary());
      // 5 tokens each, no stop tokens: 4 decode steps feed the first 4 back (the 5th is sampled, not fed)
      assertEquals(4, ms.get(new StepTimings.Bucket(StepTimings.Kind.DECODE, 2, 3)).length, t.summary());
      assertEquals(2, ms.size(), t.summary());
      assertTrue(ms.values().stream().flatMapToDouble(java.util.Arrays::stream).allMatch(v -> v > 0), t.summary());
    }
  }
}
