package io.skillsd.policies.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VocabularyKlLossTest {

  private NDManager manager;

  // B = 2, T = 2, V = 4; row 1 has no skill; row 0's second position is padding
  private final double[][][] student = {
    {{0.5, -1.0, 2.0, 0.0}, {1.0, 1.0, -2.0, 0.3}},
    {{0.0, 0.0, 0.0, 0.0}, {3.0, -1.0, 0.5, 0.2}}
  };
  private final double[][][] teacher = {
    {{-0.5, 1.5, 1.0, 0.2}, {0.0, 2.0, 0.0, -1.0}},
    {{1.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}}
  };
  private final float[] mask = {1, 0, 1, 1};
  private final float[] skillMask = {1, 0};

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray tensor(double[][][] x) {
    float[] flat = new float[16];
    int k = 0;
    for (double[][] row : x) {
      for (double[] pos : row) {
        for (double v : pos) {
          flat[k++] = (float) v;
        }
      }
    }
    return manager.create(flat, new Shape(2, 2, 4));
  }

  private NDArray teacherLogp() {
    return tensor(teacher).logSoftmax(-1);
  }

  private static double[] logSoftmax(double[] logits) {
    double[] p = SkillSdLossTest.softmax(logits);
    return Arrays.stream(p).map(Math::log).toArray();
  }

  /** KL over the support {@code keep} (all of V for the full loss), both sides renormalized on it. */
  private static double kl(double[] s, double[] t, int[] keep) {
    double[] ls = new double[keep.length];
    double[] lt = new double[keep.length];
    for (int j = 0; j < keep.length; j++) {
      ls[j] = logSoftmax(s)[keep[j]];
      lt[j] = logSoftmax(t)[keep[j]];
    }
    ls = logSoftmax(ls);
    lt = logSoftmax(lt);
    double kl = 0;
    for (int j = 0; j < keep.length; j++) {
      kl += Math.exp(ls[j]) * (ls[j] - lt[j]);
    }
    return kl;
  }

  /** Only (row 0, pos 0) is a distilled token; N = 3 loss tokens. */
  @Test
  void fullVocabularyMatchesThePlainJavaKl() {
    VocabularyKlLoss.Result r =
        new VocabularyKlLoss(OptionalInt.empty())
            .compute(
                tensor(student), teacherLogp(), manager.create(mask, new Shape(2, 2)),
                manager.create(skillMask));
    double expected = kl(student[0][0], teacher[0][0], new int[] {0, 1, 2, 3});
    assertEquals(expected / 3, r.loss().getFloat(), 1e-6);
    assertEquals(expected, r.meanKl(), 1e-6);
    assertEquals(1, r.distilledTokens());
    assertEquals(3, r.tokens());
    double entropy = 0;
    for (int[] it : new int[][] {{0, 0}, {1, 0}, {1, 1}}) {
      double[] p = SkillSdLossTest.softmax(student[it[0]][it[1]]);
      for (double v : p) {
        entropy -= v * Math.log(v);
      }
    }
    assertEquals(entropy / 3, r.entropy(), 1e-6);
  }

  @Test
  void topKRestrictsToTheTeachersTopTokensRenormalized() {
    VocabularyKlLoss.Result r =
        new VocabularyKlLoss(OptionalInt.of(2))
            .compute(
                tensor(student), teacherLogp(), manager.create(mask, new Shape(2, 2)),
                manager.create(skillMask));
    // teacher logits at (0,0): −0.5, 1.5, 1.0, 0.2 → top-2 = tokens 1 and 2
    double expected = kl(student[0][0], teacher[0][0], new int[] {1, 2});
    assertEquals(expected / 3, r.loss().getFloat(), 1e-6);
  }

  @Test
  void fullVocabularyGradientMatchesFiniteDifferences() {
    NDArray logits = tensor(student);
    logits.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      VocabularyKlLoss.Result r =
          new VocabularyKlLoss(OptionalInt.empty())
              .compute(
                  logits, teacherLogp(), manager.create(mask, new Shape(2, 2)),
                  manager.create(skillMask));
      gc.backward(r.loss());
    }
    float[] g = logits.getGradient().toFloatArray();
    double h = 1e-5;
    int[] all = {0, 1, 2, 3};
    for (int v = 0; v < 4; v++) {
      double[] plus = student[0][0].clone();
      double[] minus = student[0][0].clone();
      plus[v] += h;
      minus[v] -= h;
      double fd = (kl(plus, teacher[0][0], all) - kl(minus, teacher[0][0], all)) / (2 * h) / 3;
      assertEquals(fd, g[v], 1e-5, "coordinate " + v);
    }
    for (int k = 4; k < 16; k++) {
      assertEquals(0f, g[k], 0f, "masked position " + k); // padding and skill-less rows
    }
  }

  @Test
  void rejectsNonPositiveK() {
    assertThrows(IllegalArgumentException.class, () -> new VocabularyKlLoss(OptionalInt.of(0)));
  }
}
