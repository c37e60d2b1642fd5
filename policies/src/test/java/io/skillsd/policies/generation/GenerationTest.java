package io.skillsd.policies.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.KvCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenerationTest extends ParityModels {

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void cachedDecodingMatchesFullRecomputeOnARaggedBatch(String name) {
    CausalLm model = model(name);
    int v = model.config().vocabSize();
    long[][] rows = {{5, 9, 2, 33, 17, 4, 8, 60}, {7, 1, 50, 12, 3, 3}}; // lengths 8 and 6
    try (NDManager m = model.manager().newSubManager(); KvCache cache = model.newCache(2)) {
      // Prefill the first 4 / 2 tokens (row 1 left-padded by 2), then one token per step.
      int[] prefill = {4, 2};
      long[] ids = new long[2 * 4];
      long[][] pos = new long[2][4];
      boolean[][] valid = new boolean[2][4];
      for (int b = 0; b < 2; b++) {
        int pad = 4 - prefill[b];
        for (int t = 0; t < 4; t++) {
          valid[b][t] = t >= pad;
          pos[b][t] = Math.max(0, t - pad);
          ids[b * 4 + t] = valid[b][t] ? rows[b][t - pad] : 0;
        }
      }
      List<float[]> cached = new ArrayList<>(List.of(new float[0], new float[0]));
      float[] out = model.step(m.create(ids, new Shape(2, 4)), pos, valid, cache, false).toFloatArray();
      for (int b = 0; b < 2; b++) {
        int pad = 4 - prefill[b];
        float[] row = new float[prefill[b] * v];
        System.arraycopy(out, (b * 4 + pad) * v, row, 0, prefill[b] * v);
        cached.set(b, row);
      }
      for (int s = 0; s < 4; s++) {
        long[] next = new long[2];
        long[][] p = new long[2][1];
        for (int b = 0; b < 2; b++) {
          next[b] = rows[b][prefill[b] + s];
          p[b][0] = prefill[b] + s;
        }
        float[] step = model.step(m.create(next, new Shape(2, 1)), p, new boolean[][] {{true}, {true}}, cache, true)
            .toFloatArray();
        for (int b = 0; b < 2; b++) {
          float[] grown = java.util.Arrays.copyOf(cached.get(b), cached.get(b).length + v);
          System.arraycopy(step, b * v, grown, cached.get(b).length, v);
          cached.set(b, grown);
        }
      }
      for (int b = 0; b < 2; b++) {
        long[] full = java.util.Arrays.copyOf(rows[b], prefill[b] + 4);
        float[] want = model.logits(m.create(full, new Shape(1, full.length))).toFloatArray();
        float diff = maxAbsDiff(want, cached.get(b));
        assertTrue(diff < 1e-4, name + " row " + b + ": cached vs full max abs " + diff);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void samplingLogProbsEqualScoring(String name) {
    CausalLm model = model(name);
    List<GenerationRequest> requests = List.of(
        new GenerationRequest(new int[] {3, 4, 5, 6, 7, 8, 9}, new SamplingParams(1f, 1f, 12, List.of(), 1)),
        new GenerationRequest(new int[] {10, 11}, new SamplingParams(0.7f, 1f, 9, List.of(), 2)),
        new GenerationRequest(new int[] {20, 21, 22, 23}, new SamplingParams(1.3f, 0.9f, 5, List.of(), 3)));
    List<Generation> out = new Generator(model).generate(requests);
    Scorer scorer = new Scorer(model);
    for (int i = 0; i < requests.size(); i++) {
      int[] prompt = requests.get(i).prompt();
      int[] gen = out.get(i).tokens();
      assertEquals(requests.get(i).params().maxNewTokens(), gen.length);
      assertEquals(Generation.StopReason.MAX_TOKENS, out.get(i).stopReason());
      int[] full = java.util.Arrays.copyOf(prompt, prompt.length + gen.length);
      System.arraycopy(gen, 0, full, prompt.length, gen.length);
      float[] scored = scorer.score(List.of(full), requests.get(i).params().temperature()).get(0);
      float[] tail = java.util.Arrays.copyOfRange(scored, prompt.length, full.length);
      float diff = maxAbsDiff(out.get(i).logProbs(), tail);
      assertTrue(diff < 1e-4, name + " row " + i + ": sampled vs scored log-prob max abs " + diff);
    }
  }

  @Test
  void seededSamplingIsReproducibleAndSeedsMatter() {
    GenerationRequest a = new GenerationRequest(new int[] {1, 2, 3}, SamplingParams.sample(8, List.of(), 7));
    GenerationRequest b = new GenerationRequest(new int[] {4, 5}, SamplingParams.sample(8, List.of(), 8));
    Generator g = new Generator(qwen3);
    List<Generation> first = g.generate(List.of(a, b));
    assertEquals(first, g.generate(List.of(a, b)));
    // A row's tokens do not depend on its batch companions.
    assertArrayEquals(first.get(0).tokens(), g.generate(List.of(a)).get(0).tokens());
    GenerationRequest otherSeed = new GenerationRequest(a.prompt(), SamplingParams.sample(8, List.of(), 99));
    assertNotEquals(first.get(0), g.generate(List.of(otherSeed)).get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void rowsThatLeaveTheBatchEarlyChangeNothingForTheOthers(String name) {
    // Rows stop after 1, 3, 7 and 5 tokens, so the batch shrinks three times while the last row runs on:
    // every row's tokens, log-probs and kept cache equal those of the row generated alone.
    Generator g = new Generator(model(name));
    int[][] prompts = {{5, 9, 2, 33}, {7, 1, 50, 12, 3, 3}, {4}, {8, 8, 61, 2, 19}};
    int[] lengths = {1, 3, 7, 5};
    List<GenerationRequest> batch = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      batch.add(new GenerationRequest(prompts[i], new SamplingParams(1f, 1f, lengths[i], List.of(), 40 + i)));
    }
    List<Optional<KvCache.RowState>> none = new ArrayList<>(Collections.nCopies(batch.size(), Optional.empty()));
    Generator.SessionResult together = g.generate(batch, none, true);
    try {
      for (int i = 0; i < prompts.length; i++) {
        Generator.SessionResult alone = g.generate(List.of(batch.get(i)), List.of(Optional.empty()), true);
        try {
          Generation a = alone.generations().get(0);
          Generation t = together.generations().get(i);
          assertArrayEquals(a.tokens(), t.tokens(), name + " row " + i + " tokens");
          assertEquals(lengths[i], t.tokens().length);
          assertTrue(maxAbsDiff(a.logProbs(), t.logProbs()) < 1e-4, name + " row " + i + " log-probs");
          KvCache.RowState sa = alone.states().get(0).orElseThrow();
          KvCache.RowState st = together.states().get(i).orElseThrow();
          assertArrayEquals(sa.tokens(), st.tokens(), name + " row " + i + " cached tokens");
          for (int layer = 0; layer < sa.keys().length; layer++) {
            assertTrue(maxAbsDiff(sa.keys()[layer].toFloatArray(), st.keys()[layer].toFloatArray()) < 1e-4,
                name + " row " + i + " layer " + layer + " keys");
            assertTrue(maxAbsDiff(sa.values()[layer].toFloatArray(), st.values()[layer].toFloatArray()) < 1e-4,
                name + " row " + i + " layer " + layer + " values");
          }
        } finally {
          alone.states().forEach(o -> o.ifPresent(KvCache.RowState::close));
        }
      }
    } finally {
      together.states().forEach(o -> o.ifPresent(KvCache.RowState::close));
    }
  }

  @Test
  void rowsStopIndependentlyOnTheirOwnStopTokens() {
    Generator g = new Generator(qwen2);
    Generation greedy =
        g.generate(List.of(new GenerationRequest(new int[] {9, 8, 7}, new SamplingParams(0f, 1f, 10, List.of(), 0))))
            .get(0);
    int stopAt = greedy.tokens()[3]; // the greedy 4th token becomes the stop token of row 0
    List<Generation> out = g.generate(List.of(
        new GenerationRequest(new int[] {9, 8, 7}, new SamplingParams(0f, 1f, 10, List.of(stopAt), 0)),
        new GenerationRequest(new int[] {9, 8, 7}, new SamplingParams(0f, 1f, 10, List.of(), 0)),
        new GenerationRequest(new int[] {1}, new SamplingParams(0f, 1f, 2, List.of(), 0))));
    int firstHit = 0;
    while (greedy.tokens()[firstHit] != stopAt) {
      firstHit++;
    }
    assertEquals(Generation.StopReason.STOP_TOKEN, out.get(0).stopReason());
    assertEquals(firstHit + 1, out.get(0).tokens().length);
    assertEquals(stopAt, out.get(0).tokens()[firstHit]);
    assertArrayEquals(greedy.tokens(), out.get(1).tokens());
    assertEquals(2, out.get(2).tokens().length);
  }

  @Test
  void tinyTopPIsGreedy() {
    Generator g = new Generator(qwen3);
    int[] prompt = {5, 6, 7};
    Generation greedy =
        g.generate(List.of(new GenerationRequest(prompt, new SamplingParams(0f, 1f, 8, List.of(), 0)))).get(0);
    Generation nucleus =
        g.generate(List.of(new GenerationRequest(prompt, new SamplingParams(1f, 1e-6f, 8, List.of(), 5)))).get(0);
    assertArrayEquals(greedy.tokens(), nucleus.tokens());
    for (float lp : greedy.logProbs()) {
      assertTrue(lp < 0f && lp > -10f);
    }
    assertFalse(greedy.tokens().length == 0);
  }

  @Test
  void scoringSkipsPaddingOfShorterRows() {
    Scorer scorer = new Scorer(qwen2);
    int[] shortRow = {4, 5, 6};
    int[] longRow = {7, 8, 9, 10, 11, 12};
    float[] alone = scorer.score(List.of(shortRow), 1f).get(0);
    List<float[]> both = scorer.score(List.of(longRow, shortRow), 1f);
    assertEquals(3, both.get(1).length);
    assertEquals(0f, alone[0]);
    assertTrue(maxAbsDiff(alone, both.get(1)) < 1e-5);
  }

}
