package io.skillsd.policies.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.skillsd.policies.compute.GradMode;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.ModelConfig;
import io.skillsd.policies.objectives.ObjectiveSettings;
import io.skillsd.policies.prompt.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A minibatch over {@link UpdateSettings#microbatchBytes} goes through the model in micro-batches; the step
 * must be the one the whole minibatch makes, up to float rounding.
 */
class MicrobatchTest {
  private static final ModelConfig SMALL =
      new ModelConfig("qwen2", 48, 16, 24, 2, 2, 1, 8, 10_000.0, 1e-6, true, false, 128);

  /** Dialogues of different lengths: a prompt, then sampled turns separated by observations. */
  private static List<Transcript> dialogues(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Transcript> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Transcript t = Transcript.open(tokens(rng, 3 + rng.nextInt(4)));
      for (int turn = 0; turn < 1 + rng.nextInt(3); turn++) {
        t = t.appendSampled(tokens(rng, 2 + rng.nextInt(5))).append(tokens(rng, 2));
      }
      out.add(t.appendSampled(tokens(rng, 2)));
    }
    return out;
  }

  private static int[] tokens(SplittableRandom rng, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = 1 + rng.nextInt(SMALL.vocabSize() - 1);
    }
    return out;
  }

  private static float[] mask(Transcript t) {
    float[] m = new float[t.length()];
    for (int i = 0; i < m.length; i++) {
      m[i] = t.sampled()[i] ? 1f : 0f;
    }
    return m;
  }

  /** Scored rows: log π_old from the model itself (shifted a little so ratios move), a teacher on half. */
  private static List<ScoredSequence<Transcript>> scored(CausalLm model, List<Transcript> rows) {
    List<ScoredSequence<Transcript>> out = new ArrayList<>();
    try (NDManager m = model.manager().newSubManager()) {
      for (int i = 0; i < rows.size(); i++) {
        Transcript t = rows.get(i);
        long[] ids = new long[t.length()];
        for (int j = 0; j < ids.length; j++) {
          ids[j] = t.tokens()[j];
        }
        NDArray idArray = m.create(ids, new ai.djl.ndarray.types.Shape(1, ids.length));
        float[] logp = model.tokenLogProbs(idArray, 1f).toFloatArray();
        float[] old = new float[logp.length];
        float[] teacher = new float[logp.length];
        for (int j = 0; j < logp.length; j++) {
          old[j] = logp[j] + 0.05f * ((j % 3) - 1);
          teacher[j] = logp[j] - 0.3f;
        }
        double advantage = (i % 3) - 1 + 0.25 * i;
        out.add(new ScoredSequence<>(t, old, mask(t), advantage, i % 2 == 0 ? teacher : new float[0], new float[0]));
      }
    }
    return out;
  }

  @Test
  void aSplitStepIsTheWholeStepUpToRounding() {
    assertSplitMatchesWhole(dialogues(6, 3), dialogues(3, 4), model -> 1L); // every row alone
  }

  /** Replays long enough to need groups of their own while the minibatch fits: it stays one pass. */
  @Test
  void replaysSplitAloneLeaveTheMinibatchWhole() {
    SplittableRandom rng = new SplittableRandom(5);
    List<Transcript> replays = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replays.add(Transcript.open(tokens(rng, 10)).appendSampled(tokens(rng, 40)).append(tokens(rng, 10))
          .appendSampled(tokens(rng, 30)));
    }
    List<Transcript> rows = dialogues(6, 3);
    int longest = rows.stream().mapToInt(Transcript::length).max().orElseThrow();
    // room for the whole minibatch, not for two of the 90-token replays
    assertSplitMatchesWhole(rows, replays, model -> {
      long budget = 6 * model.trainingBytesPerRow(longest);
      assertTrue(2 * model.trainingBytesPerRow(90) > budget && model.trainingBytesPerRow(90) <= budget);
      return budget;
    });
  }

  private static void assertSplitMatchesWhole(List<Transcript> rows, List<Transcript> replays,
      java.util.function.ToLongFunction<CausalLm> budget) {
    GradMode.offOnThisThread();
    // AdamW's first step moves each weight by about lr · g / (|g| + ε): with ε far above |g| the move is the
    // gradient itself (scaled), so equal weights after the step mean equal gradients, not just equal signs.
    UpdateSettings whole = new UpdateSettings(
        1, rows.size(), LearningRateSchedule.constant(10, 0), new AdamW.Settings(0.9, 0.999, 10, 0), 1e9, 3, 5);
    try (CausalLm a = CausalLm.random(SMALL, 1, Device.cpu());
        CausalLm b = CausalLm.random(SMALL, 1, Device.cpu());
        CausalLm anchor = CausalLm.random(SMALL, 2, Device.cpu())) {
      UpdateSettings split = whole.withMicrobatchBytes(budget.applyAsLong(b));
      List<ScoredSequence<Transcript>> batch = scored(a, rows);
      List<ScoredSequence<Transcript>> replayed = new ArrayList<>();
      for (Transcript t : replays) {
        replayed.add(ScoredSequence.of(t, new float[t.length()], mask(t), 0));
      }
      ObjectiveSettings objective = ObjectiveSettings.skillSd().withLambda(0.5);
      try (UpdateStep<Transcript> wholeStep = TranscriptPolicy.updateStep(a, objective, whole, Optional.of(anchor));
          UpdateStep<Transcript> splitStep = TranscriptPolicy.updateStep(b, objective, split, Optional.of(anchor))) {
        StepDiagnostics w = wholeStep.update(batch, replayed, 0.5).get(0);
        StepDiagnostics s = splitStep.update(batch, replayed, 0.5).get(0);
        assertEquals(0, wholeStep.splitSteps());
        assertEquals(1, splitStep.splitSteps());
        assertTrue(w.maintenanceLoss() > 1e-3, "the replays have a term: " + w.maintenanceLoss());
        assertTrue(w.distillationLoss() != 0, "the teacher rows have a distillation term");
        assertEquals(w.loss(), s.loss(), 1e-5);
        assertEquals(w.grpoLoss(), s.grpoLoss(), 1e-5);
        assertEquals(w.distillationLoss(), s.distillationLoss(), 1e-5);
        assertEquals(w.maintenanceLoss(), s.maintenanceLoss(), 1e-5);
        // the diagnostics, combined from the groups, read as the whole minibatch's
        assertEquals(w.refKl(), s.refKl(), 1e-5);
        assertEquals(w.clipFraction(), s.clipFraction(), 1e-6);
        assertEquals(w.meanRatio(), s.meanRatio(), 1e-5);
        assertEquals(w.meanRho(), s.meanRho(), 1e-5);
        assertEquals(w.maxRho(), s.maxRho(), 1e-5);
        assertEquals(w.meanEll(), s.meanEll(), 1e-5);
        assertEquals(w.meanK3(), s.meanK3(), 1e-5);
        assertEquals(w.tokens(), s.tokens());
        assertEquals(w.distilledTokens(), s.distilledTokens());
        assertEquals(w.maintenanceTokens(), s.maintenanceTokens());
        assertEquals(w.gradNorm(), s.gradNorm(), 1e-5 * Math.max(1, w.gradNorm()));
        assertTrue(w.gradNorm() > 1e-4, "a real gradient: " + w.gradNorm());
      }
      double largest = 0;
      for (Map.Entry<String, NDArray> e : a.parameters().entrySet()) {
        float[] pa = e.getValue().toFloatArray();
        float[] pb = b.parameters().get(e.getKey()).toFloatArray();
        for (int i = 0; i < pa.length; i++) {
          largest = Math.max(largest, Math.abs(pa[i] - pb[i]));
        }
      }
      assertTrue(largest < 1e-6, "parameters after the step differ by up to " + largest);
      assertTrue(moved(a, SMALL) > 1e-3, "the step moved the weights: " + moved(a, SMALL));
    }
  }

  /** The largest distance of a weight from the same-seed initial model's. */
  private static double moved(CausalLm model, ModelConfig config) {
    double largest = 0;
    try (CausalLm initial = CausalLm.random(config, 1, Device.cpu())) {
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        float[] p = e.getValue().toFloatArray();
        float[] q = initial.parameters().get(e.getKey()).toFloatArray();
        for (int i = 0; i < p.length; i++) {
          largest = Math.max(largest, Math.abs(p[i] - q[i]));
        }
      }
    }
    return largest;
  }

  /** The estimate the learner splits by: attention's square term dominates long rows. */
  @Test
  void theEstimateGrowsWithTheSquareOfTheLength() {
    ModelConfig base = ModelConfig.base(599);
    try (CausalLm model = CausalLm.random(base, 1, Device.cpu())) {
      long short360 = model.trainingBytesPerRow(360);
      long long4096 = model.trainingBytesPerRow(4096);
      assertEquals(2.47e9, long4096, 0.02e9); // reference.conf's "about 2.5 GB"
      assertTrue(16 * short360 < 4L << 30, "a Sokoban minibatch (16 x 360) stays whole: " + 16 * short360);
      assertTrue(model.trainingBytesPerRow(2048) * 3 < long4096, "quadratic in the length");
    }
  }
}
