package io.skillsd.policies.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A second turn generated from the first turn's cached keys and values equals the same turn generated from
 * scratch: same tokens, log-probs within float rounding — on a ragged batch where one row has no cache.
 */
class SessionCacheTest extends ParityModels {

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void secondTurnFromCacheEqualsSecondTurnFromScratch(String name) {
    CausalLm model = name.equals("qwen2") ? qwen2 : qwen3;
    Generator generator = new Generator(model);
    int[][] prompts = {{5, 9, 2, 33, 17, 4, 8, 60, 11}, {7, 1, 50, 12}, {3, 3, 3, 8, 9, 10, 2}};
    List<GenerationRequest> first = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      first.add(new GenerationRequest(prompts[i], new SamplingParams(1f, 1f, 4 + i, List.of(), 100 + i)));
    }
    List<Optional<KvCache.RowState>> none = List.of(Optional.empty(), Optional.empty(), Optional.empty());
    Generator.SessionResult turn1 = generator.generate(first, none, true);
    try {
      // The next prompts: each dialogue so far plus an observation; row 1 starts without its cache.
      List<GenerationRequest> second = new ArrayList<>();
      List<Optional<KvCache.RowState>> prior = new ArrayList<>();
      for (int i = 0; i < prompts.length; i++) {
        int[] dialogue = concat(concat(prompts[i], turn1.generations().get(i).tokens()), new int[] {40 + i, 41, 42 + 2 * i});
        second.add(new GenerationRequest(dialogue, new SamplingParams(1f, 1f, 5, List.of(), 200 + i)));
        KvCache.RowState st = turn1.states().get(i).orElseThrow();
        assertEquals(prompts[i].length + turn1.generations().get(i).tokens().length - 1, st.length(),
            "the cache covers the prompt and every generated token but the last");
        assertTrue(st.isStrictPrefixOf(dialogue));
        prior.add(i == 1 ? Optional.empty() : Optional.of(st));
      }
      List<Generation> cached = generator.generate(second, prior, false).generations();
      List<Generation> scratch = generator.generate(second);
      for (int i = 0; i < prompts.length; i++) {
        assertArrayEquals(scratch.get(i).tokens(), cached.get(i).tokens(), "row " + i + " tokens");
        float[] a = scratch.get(i).logProbs();
        float[] b = cached.get(i).logProbs();
        for (int k = 0; k < a.length; k++) {
          assertEquals(a[k], b[k], 1e-4, "row " + i + " log-prob " + k);
        }
      }
    } finally {
      turn1.states().forEach(s -> s.ifPresent(KvCache.RowState::close));
    }
  }
}
