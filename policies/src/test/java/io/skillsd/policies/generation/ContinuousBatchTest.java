package io.skillsd.policies.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContinuousBatchTest extends ParityModels {

  /** One turn as the continuous batch played it. */
  private record Turn(int dialogue, GenerationRequest request, Optional<KvCache.RowState> prior, Generation generation,
      KvCache.RowState state) {}

  /**
   * Plays {@code dialogues} dialogues of {@code turns} turns through one continuous batch: dialogue d joins at
   * step 2·d, and each next turn (the dialogue so far plus a few new tokens) joins at the step after its
   * previous answer ended, starting from that answer's kept cache. Answers are 1 to 12 tokens long, so rows join
   * while others decode, leave at every step, and the buffers move and grow.
   */
  private static List<Turn> play(CausalLm model, int dialogues, int turns, long seed) {
    return play(model, dialogues, turns, seed, batch -> { });
  }

  private static List<Turn> play(CausalLm model, int dialogues, int turns, long seed,
      java.util.function.Consumer<ContinuousBatch<Integer>> afterEachStep) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[][] prompts = new int[dialogues][];
    int[] turn = new int[dialogues];
    for (int d = 0; d < dialogues; d++) {
      prompts[d] = rng.ints(3 + rng.nextInt(10), 1, 60).toArray();
    }
    List<Turn> played = new ArrayList<>();
    Map<Integer, Optional<KvCache.RowState>> priors = new HashMap<>();
    Map<Integer, GenerationRequest> asked = new HashMap<>();
    try (ContinuousBatch<Integer> batch = new ContinuousBatch<>(model, true)) {
      int step = 0;
      int done = 0;
      while (done < dialogues) {
        if (step % 2 == 0 && step / 2 < dialogues) {
          int d = step / 2;
          GenerationRequest r = request(prompts[d], d, 0, rng);
          asked.put(d, r);
          priors.put(d, Optional.empty());
          batch.join(d, r, Optional.empty());
        }
        for (ContinuousBatch.Finished<Integer> f : batch.step()) {
          int d = f.key();
          played.add(new Turn(d, asked.get(d), priors.get(d), f.generation(), f.state().orElseThrow()));
          if (++turn[d] == turns) {
            done++;
            continue;
          }
          int[] answer = f.generation().tokens();
          int[] extra = rng.ints(1 + rng.nextInt(6), 1, 60).toArray();
          int[] next = Arrays.copyOf(asked.get(d).prompt(), asked.get(d).length() + answer.length + extra.length);
          System.arraycopy(answer, 0, next, asked.get(d).length(), answer.length);
          System.arraycopy(extra, 0, next, asked.get(d).length() + answer.length, extra.length);
          GenerationRequest r = request(next, d, turn[d], rng);
          asked.put(d, r);
          priors.put(d, f.state());
          batch.join(d, r, f.state());
        }
        afterEachStep.accept(batch);
        step++;
      }
      assertTrue(batch.idle());
    }
    return played;
  }

  private static GenerationRequest request(int[] prompt, int dialogue, int turn, SplittableRandom rng) {
    return new GenerationRequest(prompt, new SamplingParams(1f, 1f, 1 + rng.nextInt(12), List.of(7), 1000L * dialogue + turn));
  }

  private static void closeAll(List<Turn> turns) {
    for (Turn t : turns) {
      t.state().close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void everyTurnEqualsItsGenerationAlone(String name) {
    // Each turn's tokens, log-probs and kept cache against the same request (and the same prior) generated
    // alone by the lockstep generator.
    CausalLm model = model(name);
    Generator g = new Generator(model);
    List<Turn> played = play(model, 7, 3, 11);
    try {
      assertEquals(21, played.size());
      for (Turn t : played) {
        Generator.SessionResult alone = g.generate(List.of(t.request()), List.of(t.prior()), true);
        try {
          String what = name + " dialogue " + t.dialogue() + " prompt of " + t.request().length();
          Generation a = alone.generations().get(0);
          assertArrayEquals(a.tokens(), t.generation().tokens(), what + ": tokens");
          assertEquals(a.stopReason(), t.generation().stopReason(), what + ": stop reason");
          assertTrue(maxAbsDiff(a.logProbs(), t.generation().logProbs()) < 1e-4, what + ": log-probs");
          KvCache.RowState sa = alone.states().get(0).orElseThrow();
          assertArrayEquals(sa.tokens(), t.state().tokens(), what + ": cached tokens");
          for (int layer = 0; layer < sa.keys().length; layer++) {
            assertTrue(maxAbsDiff(sa.keys()[layer].toFloatArray(), t.state().keys()[layer].toFloatArray()) < 1e-4,
                what + ": keys of layer " + layer);
            assertTrue(maxAbsDiff(sa.values()[layer].toFloatArray(), t.state().values()[layer].toFloatArray()) < 1e-4,
                what + ": values of layer " + layer);
          }
        } finally {
          alone.states().forEach(o -> o.ifPresent(KvCache.RowState::close));
        }
      }
    } finally {
      closeAll(played);
    }
  }

  @Test
  void theCacheHoldsOnlyItsBuffersAndNothingOnceIdle() {
    // Every turn's kept cache is copied out of the batch's buffers, and the buffers move and grow: the slices
    // that copy is made from must not outlive it (each would keep a moved-away buffer's memory alive).
    int layers = qwen3.config().numLayers();
    int[] most = new int[1];
    List<Turn> played = play(qwen3, 9, 4, 5, batch -> {
      int held = batch.cache().heldArrays();
      most[0] = Math.max(most[0], held);
      assertTrue(held <= 2 * layers, held + " arrays held after a step, buffers are " + 2 * layers);
      if (batch.idle()) {
        assertEquals(0, held, "an idle batch holds no arrays");
      }
    });
    closeAll(played);
    assertEquals(2 * layers, most[0]);
  }

  @Test
  void theSameScheduleGivesTheSameBits() {
    List<Turn> first = play(qwen3, 5, 2, 3);
    List<Turn> second = play(qwen3, 5, 2, 3);
    try {
      assertEquals(first.size(), second.size());
      for (int i = 0; i < first.size(); i++) {
        assertEquals(first.get(i).dialogue(), second.get(i).dialogue());
        assertArrayEquals(first.get(i).generation().tokens(), second.get(i).generation().tokens());
        assertArrayEquals(first.get(i).generation().logProbs(), second.get(i).generation().logProbs());
      }
    } finally {
      closeAll(first);
      closeAll(second);
    }
  }

  @Test
  void refusesWhatCannotRun() {
    try (ContinuousBatch<String> batch = new ContinuousBatch<>(qwen2, false)) {
      assertThrows(IllegalStateException.class, batch::step);
      int context = qwen2.config().maxPositionEmbeddings();
      GenerationRequest tooLong = new GenerationRequest(new int[context], SamplingParams.sample(4, List.of(), 1));
      assertThrows(IllegalArgumentException.class, () -> batch.join("x", tooLong, Optional.empty()));
    }
  }
}
