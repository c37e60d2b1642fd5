package io.skillsd.policies.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skillsd.policies.compute.GradMode;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.ModelConfig;
import io.skillsd.policies.objectives.ObjectiveSettings;
import io.skillsd.policies.prompt.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The maintenance term's KL to a frozen initial model ({@code TranscriptPolicy.klTo}) on a real causal LM. */
class KlToInitialModelTest {
  private static final ModelConfig SMALL =
      new ModelConfig("qwen2", 48, 16, 24, 1, 2, 1, 8, 10_000.0, 1e-6, true, false, 128);

  /** Two dialogues: a prompt, then sampled tokens (the covered positions). */
  private static List<Transcript> dialogues() {
    return List.of(
        Transcript.open(new int[] {1, 5, 7}).appendSampled(new int[] {9, 11, 2}),
        Transcript.open(new int[] {1, 6}).appendSampled(new int[] {12, 3}).append(new int[] {4}).appendSampled(new int[] {8}));
  }

  private static float[] mask(Transcript t, int length) {
    float[] m = new float[length];
    for (int i = 0; i < t.length(); i++) {
      m[i] = t.sampled()[i] ? 1f : 0f;
    }
    return m;
  }

  /** log softmax of logits row {@code row} at position {@code t}. */
  private static double[] logSoftmax(float[] logits, int row, int t, int length, int vocab) {
    double[] out = new double[vocab];
    int base = (row * length + t) * vocab;
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[base + v]);
    }
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      sum += Math.exp(logits[base + v] - max);
    }
    for (int v = 0; v < vocab; v++) {
      out[v] = logits[base + v] - max - Math.log(sum);
    }
    return out;
  }

  private static double termValue(CausalLm student, CausalLm anchor, List<Transcript> rows) {
    GradMode.offOnThisThread();
    int length = rows.stream().mapToInt(Transcript::length).max().orElseThrow();
    try (NDManager m = student.manager().newSubManager()) {
      float[] mask = new float[rows.size() * length];
      for (int i = 0; i < rows.size(); i++) {
        System.arraycopy(mask(rows.get(i), length), 0, mask, i * length, length);
      }
      NDArray loss = new TranscriptPolicy(student).klTo(anchor)
          .loss(m, rows, length, m.create(mask, new Shape(rows.size(), length)));
      return loss.getFloat();
    }
  }

  @Test
  void theKlToTheInitialModelIsTheMeanPerCoveredTokenOfKlFromItsDistribution() {
    List<Transcript> rows = dialogues();
    int length = rows.stream().mapToInt(Transcript::length).max().orElseThrow();
    int vocab = SMALL.vocabSize();
    try (CausalLm student = CausalLm.random(SMALL, 1, Device.cpu());
        CausalLm anchor = CausalLm.random(SMALL, 2, Device.cpu());
        NDManager m = student.manager().newSubManager()) {
      long[] ids = new long[rows.size() * length];
      for (int i = 0; i < rows.size(); i++) {
        for (int t = 0; t < rows.get(i).length(); t++) {
          ids[i * length + t] = rows.get(i).tokens()[t];
        }
      }
      NDArray idArray = m.create(ids, new Shape(rows.size(), length));
      float[] ls = student.logits(idArray).toFloatArray();
      float[] la = anchor.logits(idArray).toFloatArray();
      double sum = 0;
      int covered = 0;
      for (int i = 0; i < rows.size(); i++) {
        float[] mk = mask(rows.get(i), length);
        for (int t = 1; t < length; t++) {
          if (mk[t] > 0) {
            double[] p = logSoftmax(la, i, t - 1, length, vocab);
            double[] q = logSoftmax(ls, i, t - 1, length, vocab);
            for (int v = 0; v < vocab; v++) {
              sum += Math.exp(p[v]) * (p[v] - q[v]);
            }
            covered++;
          }
        }
      }
      assertEquals(6, covered); // 3 + 2 + 1 sampled tokens, none at position 0
      double expected = sum / covered;
      assertTrue(expected > 1e-3, "two random models should differ: " + expected);
      assertEquals(expected, termValue(student, anchor, rows), 1e-5);
      assertEquals(0, termValue(student, student, rows), 1e-6);
    }
  }

  @Test
  void theTermPullsAStudentThatMovedAwayBackTowardTheInitialModel() {
    List<Transcript> rows = dialogues();
    UpdateSettings settings = new UpdateSettings(
        1, 2, LearningRateSchedule.constant(0.01, 0), new AdamW.Settings(0.9, 0.999, 1e-8, 0), 1.0, 3, 5);
    try (CausalLm student = CausalLm.random(SMALL, 1, Device.cpu());
        CausalLm initial = CausalLm.random(SMALL, 2, Device.cpu());
        UpdateStep<Transcript> step = TranscriptPolicy.updateStep(
            student, ObjectiveSettings.grpo(), settings, Optional.of(initial))) {
      double before = termValue(student, initial, rows);
      List<ScoredSequence<Transcript>> batch = new ArrayList<>();
      List<ScoredSequence<Transcript>> replays = new ArrayList<>();
      for (Transcript t : rows) {
        // advantage 0: only the maintenance term has a gradient
        batch.add(ScoredSequence.of(t, new float[t.length()], mask(t, t.length()), 0));
        replays.add(ScoredSequence.of(t, new float[t.length()], mask(t, t.length()), 0));
      }
      List<StepDiagnostics> first = step.update(batch, replays, 1.0);
      for (int i = 0; i < 19; i++) {
        step.update(batch, replays, 1.0);
      }
      double after = termValue(student, initial, rows);
      assertEquals(before, first.get(0).maintenanceLoss(), 1e-5);
      assertEquals(6, first.get(0).maintenanceTokens());
      assertTrue(after < 0.5 * before, "KL to the initial model " + before + " -> " + after);
    }
  }
}
