package io.skillsd.policies.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.skillsd.policies.checkpoint.Checkpoints;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.Fixtures;
import io.skillsd.policies.model.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prompts that open with the same instructions: the shared prefix is computed once, every fresh row starts from
 * it, and what is sampled equals a full prefill (same tokens, log-probs within float rounding).
 */
class PrefixCacheTest {

  private static CausalLm model;

  @BeforeAll
  static void load() {
    model = Checkpoints.load(Fixtures.parity("qwen3"), Device.cpu());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** 40 shared "instruction" tokens, then a task of its own. */
  private static int[] prompt(int task) {
    int[] p = new int[40 + 6 + task % 3];
    for (int i = 0; i < 40; i++) {
      p[i] = 3 + (i * 7) % 50;
    }
    for (int i = 40; i < p.length; i++) {
      p[i] = 10 + (task * 13 + i * 5) % 40;
    }
    return p;
  }

  private static List<GenerationRequest> requests(int from, int count) {
    List<GenerationRequest> out = new ArrayList<>();
    for (int task = from; task < from + count; task++) {
      out.add(new GenerationRequest(prompt(task), new SamplingParams(1f, 1f, 6, List.of(), 500 + task)));
    }
    return out;
  }

  private static void assertSame(List<Generation> expected, List<Generation> actual) {
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).tokens(), actual.get(i).tokens(), "row " + i + " tokens");
      float[] a = expected.get(i).logProbs();
      float[] b = actual.get(i).logProbs();
      for (int k = 0; k < a.length; k++) {
        assertEquals(a[k], b[k], 1e-4, "row " + i + " log-prob " + k);
      }
    }
  }

  @Test
  void aBatchSharesItsInstructionsAndSamplesWhatAFullPrefillSamples() {
    Generator generator = new Generator(model);
    List<GenerationRequest> batch = requests(0, 4);
    List<Optional<KvCache.RowState>> none = new ArrayList<>(Collections.nCopies(4, Optional.empty()));
    try (PrefixCache cache = new PrefixCache(16, 4)) {
      List<Optional<KvCache.RowState>> priors = cache.priors(generator, batch, none);
      assertEquals(1, cache.computed(), "one prefix for the whole batch");
      assertEquals(4, cache.hits());
      for (Optional<KvCache.RowState> p : priors) {
        assertEquals(40, p.orElseThrow().length(), "the prefix is the shared instructions, not more");
      }
      assertSame(generator.generate(batch), generator.generate(batch, priors, false).generations());

      // Later episodes, one at a time, reuse it.
      List<GenerationRequest> single = requests(7, 1);
      List<Optional<KvCache.RowState>> again = cache.priors(generator, single, List.of(Optional.empty()));
      assertEquals(1, cache.computed());
      assertEquals(40, again.get(0).orElseThrow().length());
      assertSame(generator.generate(single), generator.generate(single, again, false).generations());
    }
  }

  @Test
  void oneRequestAtATimeFindsThePrefixFromTheRequestsBefore() {
    Generator generator = new Generator(model);
    try (PrefixCache cache = new PrefixCache(16, 4)) {
      Optional<KvCache.RowState> first = cache.priors(generator, requests(0, 1), List.of(Optional.empty())).get(0);
      assertTrue(first.isEmpty(), "nothing to share with yet");
      List<GenerationRequest> second = requests(1, 1);
      Optional<KvCache.RowState> p = cache.priors(generator, second, List.of(Optional.empty())).get(0);
      assertEquals(40, p.orElseThrow().length());
      assertSame(generator.generate(second), generator.generate(second, List.of(p), false).generations());
    }
  }

  @Test
  void aRowsOwnSessionWinsAndShortOrUnrelatedPromptsGetNone() {
    Generator generator = new Generator(model);
    try (PrefixCache cache = new PrefixCache(16, 4)) {
      List<GenerationRequest> batch = requests(0, 2);
      Generator.SessionResult turn1 = generator.generate(batch, List.of(Optional.empty(), Optional.empty()), true);
      KvCache.RowState own = turn1.states().get(0).orElseThrow();
      int[] next = Arrays.copyOf(own.tokens(), own.length() + 3);
      List<GenerationRequest> turn2 = List.of(new GenerationRequest(next, new SamplingParams(1f, 1f, 4, List.of(), 9)),
          new GenerationRequest(new int[] {1, 2, 3, 4, 5}, new SamplingParams(1f, 1f, 4, List.of(), 9)));
      List<Optional<KvCache.RowState>> priors = cache.priors(generator, turn2, List.of(Optional.of(own), Optional.empty()));
      assertTrue(priors.get(0).orElseThrow() == own, "a row's own session comes first");
      assertTrue(priors.get(1).isEmpty(), "an unrelated prompt shares nothing");
      assertEquals(0, cache.computed());
      turn1.states().forEach(s -> s.ifPresent(KvCache.RowState::close));

      cache.priors(generator, requests(0, 3), new ArrayList<>(Collections.nCopies(3, Optional.empty())));
      assertEquals(1, cache.size());
      cache.clear();
      assertEquals(0, cache.size(), "new weights: the prefixes are gone");
    }
    assertThrows(IllegalArgumentException.class, () -> new PrefixCache(0, 4));
  }
}
