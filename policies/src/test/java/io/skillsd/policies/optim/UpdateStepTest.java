package io.skillsd.policies.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.skillsd.policies.objectives.Advantages;
import io.skillsd.policies.objectives.ObjectiveSettings;
import io.skillsd.policies.objectives.TeacherWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The update step on a real DJL block: learning on a one-step bandit over token sequences, the loss on a
 * fixed batch, the non-finite guard, and the skill-conditioned maintenance term.
 */
class UpdateStepTest {

  private static final int V = 3;
  private static final int T = 2;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static UpdateSettings settings(double lr) {
    return new UpdateSettings(
        1, 8, LearningRateSchedule.constant(lr, 0), new AdamW.Settings(0.9, 0.999, 1e-8, 0), 1.0, 3, 11);
  }

  /** Reward of a sequence: one point for starting with token 2, one for ending with token 0. */
  private static double reward(int[] y) {
    return (y[0] == 2 ? 1 : 0) + (y[T - 1] == 0 ? 1 : 0);
  }

  private static double expectedReward(double[][] p) {
    double e = 0;
    for (int[] y : SoftmaxLinearPolicy.allSequences(V, T)) {
      e += SoftmaxLinearPolicy.sequenceProbability(p, y) * reward(y);
    }
    return e;
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return a;
  }

  @Test
  void grpoRaisesTheExpectedRewardOfABandit() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0);
    Random random = new Random(3);
    double before = expectedReward(policy.conditionals(manager));
    try (UpdateStep<int[]> step =
        new UpdateStep<>(
            manager, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(),
            settings(0.05))) {
      for (int iteration = 0; iteration < 60; iteration++) {
        double[][] p = policy.conditionals(manager); // θ_old
        int[][] group = new int[8][];
        double[] rewards = new double[8];
        for (int i = 0; i < 8; i++) {
          group[i] = SoftmaxLinearPolicy.sample(p, T, random);
          rewards[i] = reward(group[i]);
        }
        double[] adv = Advantages.groupNormalized(rewards);
        List<ScoredSequence<int[]>> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          batch.add(
              ScoredSequence.of(group[i], SoftmaxLinearPolicy.tokenLogProbs(p, group[i]), ones(T), adv[i]));
        }
        step.update(batch);
      }
    }
    double after = expectedReward(policy.conditionals(manager));
    assertEquals(2.0 / 3, before, 1e-6); // uniform start
    assertTrue(after > 1.7, "expected reward " + before + " -> " + after + " (max 2)");
  }

  @Test
  void distillationAloneMovesTheStudentTowardAFixedTeacher() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0.5f);
    double[][] q = {{0.7, 0.2, 0.1}, {0.1, 0.1, 0.8}, {0.3, 0.4, 0.3}, {0.05, 0.15, 0.8}};
    Random random = new Random(5);
    double before = reverseKl(policy.conditionals(manager), q);
    try (UpdateStep<int[]> step =
        new UpdateStep<>(
            manager, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.opd(),
            settings(0.05))) {
      for (int iteration = 0; iteration < 50; iteration++) {
        double[][] p = policy.conditionals(manager);
        List<ScoredSequence<int[]>> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          int[] y = SoftmaxLinearPolicy.sample(p, T, random);
          batch.add(
              ScoredSequence.withTeacher(
                  y, SoftmaxLinearPolicy.tokenLogProbs(p, y), ones(T), 0,
                  SoftmaxLinearPolicy.tokenLogProbs(q, y)));
        }
        step.update(batch);
      }
    }
    double after = reverseKl(policy.conditionals(manager), q);
    assertTrue(before > 0.3, "initial KL " + before);
    assertTrue(after < 0.1 * before, "KL(π_θ‖π_tea) " + before + " -> " + after);
  }

  @Test
  void vocabularyDistillationThroughATeacherForwardReducesTheKl() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0.5f);
    double[][] q = {{0.7, 0.2, 0.1}, {0.1, 0.1, 0.8}, {0.3, 0.4, 0.3}, {0.05, 0.15, 0.8}};
    // the teacher's distribution at every position of every row: [B,T,V]
    TeacherForward<int[]> teacher =
        (m, inputs, t) -> {
          float[] flat = new float[inputs.size() * t * V];
          for (int i = 0; i < inputs.size(); i++) {
            for (int pos = 0; pos < t; pos++) {
              int prev = pos == 0 ? V : inputs.get(i)[pos - 1];
              for (int v = 0; v < V; v++) {
                flat[(i * t + pos) * V + v] = (float) Math.log(q[prev][v]);
              }
            }
          }
          return m.create(flat, new Shape(inputs.size(), t, V));
        };
    Random random = new Random(9);
    double before = reverseKl(policy.conditionals(manager), q);
    List<StepDiagnostics> last;
    try (UpdateStep<int[]> step =
        new UpdateStep<>(
            manager, policy.parameters(), policy, Optional.of(teacher),
            // top-k with k = V: the full reverse KL, through the top-k gather and renormalization
            ObjectiveSettings.opd().withTopK(V), settings(0.05))) {
      last = List.of();
      for (int iteration = 0; iteration < 40; iteration++) {
        double[][] p = policy.conditionals(manager);
        List<ScoredSequence<int[]>> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          int[] y = SoftmaxLinearPolicy.sample(p, T, random);
          batch.add(
              ScoredSequence.withTeacher(
                  y, SoftmaxLinearPolicy.tokenLogProbs(p, y), ones(T), 0,
                  SoftmaxLinearPolicy.tokenLogProbs(q, y)));
        }
        last = step.update(batch);
      }
    }
    double after = reverseKl(policy.conditionals(manager), q);
    assertTrue(after < 0.1 * before, "KL(π_θ‖π_tea) " + before + " -> " + after);
    StepDiagnostics d = last.get(0);
    assertEquals(d.distillationLoss(), d.loss(), 1e-6); // OPD: the distillation term alone
    assertEquals(d.distillationLoss(), d.vocabularyKl(), 1e-6); // every loss token is distilled
    assertTrue(d.entropy().isPresent());
  }

  /** KL(π_θ ‖ π_tea) over whole sequences, by enumeration. */
  private static double reverseKl(double[][] p, double[][] q) {
    double kl = 0;
    for (int[] y : SoftmaxLinearPolicy.allSequences(V, T)) {
      double py = SoftmaxLinearPolicy.sequenceProbability(p, y);
      kl += py * Math.log(py / SoftmaxLinearPolicy.sequenceProbability(q, y));
    }
    return kl;
  }

  @Test
  void epochsOverAFixedBatchDecreaseTheLossAndReportDiagnostics() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0);
    double[][] p = policy.conditionals(manager);
    int[][] ys = {{2, 0}, {1, 1}, {2, 2}, {0, 0}};
    double[] adv = Advantages.groupNormalized(Arrays.stream(ys).mapToDouble(UpdateStepTest::reward).toArray());
    List<ScoredSequence<int[]>> batch = new ArrayList<>();
    for (int i = 0; i < ys.length; i++) {
      batch.add(ScoredSequence.of(ys[i], SoftmaxLinearPolicy.tokenLogProbs(p, ys[i]), ones(T), adv[i]));
    }
    List<StepDiagnostics> d;
    try (UpdateStep<int[]> step =
        new UpdateStep<>(
            manager, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(),
            settings(0.02).withMinibatches(10, 4).withLearningRate(LearningRateSchedule.constant(0.02, 5)))) {
      d = step.update(batch);
      assertEquals(10, step.appliedSteps());
    }
    assertEquals(10, d.size());
    StepDiagnostics first = d.get(0);
    assertEquals(0, first.loss(), 1e-6); // r = 1 and Σ Â = 0 at θ = θ_old
    assertEquals(1, first.meanRatio(), 1e-6);
    assertEquals(8, first.tokens());
    assertEquals(Math.log(V), first.entropy().orElseThrow(), 1e-5); // uniform start
    assertEquals(0.02 / 5, first.learningRate(), 1e-12); // warm-up
    assertEquals(0.02, d.get(9).learningRate(), 1e-12);
    assertTrue(first.gradNorm() > 0);
    // the clip bounds how far the surrogate can go: −L ≤ Σ_i T·(1.28·Â_i⁺ − 0.8·Â_i⁻) / N
    double bound = 0;
    for (double a : adv) {
      bound += T * (a > 0 ? 1.28 * a : 0.8 * a);
    }
    bound /= 8;
    assertTrue(bound > 0.15, "bound " + bound);
    assertTrue(d.get(9).loss() < -0.9 * bound, "loss after 10 steps " + d.get(9).loss() + ", bound " + bound);
    for (int k = 1; k < d.size(); k++) {
      assertTrue(d.get(k).loss() <= d.get(k - 1).loss() + 1e-6, "step " + k + ": " + d);
      assertFalse(d.get(k).skipped());
    }
  }

  @Test
  void nonFiniteStepsAreSkippedWithCleanGradientsAndTheRunStopsAfterN() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0.5f);
    double[][] p = policy.conditionals(manager);
    int[] y = {2, 0};
    List<ScoredSequence<int[]>> batch =
        List.of(
            ScoredSequence.of(y, SoftmaxLinearPolicy.tokenLogProbs(p, y), ones(T), 1.0),
            ScoredSequence.of(new int[] {1, 1}, SoftmaxLinearPolicy.tokenLogProbs(p, new int[] {1, 1}), ones(T), -1.0));
    // per attempted step: 'L' NaN loss, 'G' finite loss with a NaN gradient, '.' healthy
    String plan = ".LG.LLL";
    int[] call = {0};
    PolicyForward<int[]> poisoned =
        (m, inputs, t) -> {
          PolicyOutput out = policy.forward(m, inputs, t);
          char c = plan.charAt(call[0]++);
          NDArray lp = out.logpNew();
          if (c == 'L') {
            lp = lp.mul(Float.NaN);
          } else if (c == 'G') {
            // value unchanged, gradient NaN: d sqrt(z)/dz = ∞ at z = 0, times dz/dx = 0
            lp = lp.add(lp.sub(lp.stopGradient()).square().sqrt());
          }
          return new PolicyOutput(lp, out.logits());
        };
    try (UpdateStep<int[]> step =
        new UpdateStep<>(
            manager, policy.parameters(), poisoned, Optional.empty(), ObjectiveSettings.grpo(),
            settings(0.05))) {
      assertFalse(step.step(batch).skipped());
      List<float[]> weights = snapshot(policy);
      StepDiagnostics nanLoss = step.step(batch);
      assertTrue(nanLoss.skipped());
      assertTrue(Double.isNaN(nanLoss.loss()));
      StepDiagnostics nanGrad = step.step(batch);
      assertTrue(nanGrad.skipped());
      assertTrue(Double.isFinite(nanGrad.loss()));
      assertTrue(Double.isNaN(nanGrad.gradNorm()));
      assertWeights(weights, snapshot(policy)); // skipped steps leave θ alone
      for (Pair<String, Parameter> pr : policy.parameters()) {
        for (float g : pr.getValue().getArray().getGradient().toFloatArray()) {
          assertEquals(0f, g, 0f); // and leave no NaN behind for the next backward
        }
      }
      StepDiagnostics healthy = step.step(batch);
      assertFalse(healthy.skipped());
      assertTrue(Double.isFinite(healthy.gradNorm()));
      assertEquals(2, step.appliedSteps());
      assertTrue(step.step(batch).skipped());
      assertTrue(step.step(batch).skipped());
      NonFiniteUpdateException e = assertThrows(NonFiniteUpdateException.class, () -> step.step(batch));
      assertTrue(e.getMessage().contains("3 consecutive"), e.getMessage());
      assertEquals(5, step.skippedSteps()); // the one that stops the run was not applied either
    }
  }

  @Test
  void aRestoredSnapshotContinuesExactlyLikeTheOriginal() {
    SoftmaxLinearPolicy a = new SoftmaxLinearPolicy(manager, V, T, 0.5f);
    SoftmaxLinearPolicy b = new SoftmaxLinearPolicy(manager, V, T, 0f);
    Random random = new Random(4);
    List<List<ScoredSequence<int[]>>> batches = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      List<ScoredSequence<int[]>> batch = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int[] y = {random.nextInt(V), random.nextInt(V)};
        batch.add(ScoredSequence.of(y, new float[] {-1.1f, -1.0f}, ones(T), random.nextGaussian()));
      }
      batches.add(batch);
    }
    UpdateSettings s = settings(0.05).withMinibatches(2, 4);
    try (UpdateStep<int[]> original =
            new UpdateStep<>(manager, a.parameters(), a, Optional.empty(), ObjectiveSettings.grpo(), s);
        UpdateStep<int[]> resumed =
            new UpdateStep<>(manager, b.parameters(), b, Optional.empty(), ObjectiveSettings.grpo(), s)) {
      original.update(batches.get(0));
      original.update(batches.get(1));
      // "checkpoint": weights and update-step state go to b
      TeacherWeights.copy(a.parameters(), b.parameters());
      resumed.restore(original.snapshot());
      for (int k = 2; k < 4; k++) {
        List<StepDiagnostics> x = original.update(batches.get(k));
        List<StepDiagnostics> y = resumed.update(batches.get(k));
        for (int j = 0; j < x.size(); j++) {
          assertEquals(x.get(j).loss(), y.get(j).loss(), 1e-7);
          assertEquals(x.get(j).step(), y.get(j).step());
        }
      }
      assertWeights(snapshot(a), snapshot(b));
      assertEquals(original.appliedSteps(), resumed.appliedSteps());
    }
  }

  @Test
  void optionalTermsReachTheLossThroughTheStep() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0f); // uniform: log π = −ln 3
    float lp = (float) -Math.log(V);
    int[] y = {0, 1};
    float[] logpOld = {lp, lp};
    float[] logpRef = {lp - 0.5f, lp + 0.5f};
    float[] logpTeacher = {lp - 3f, lp + 2f}; // ℓ = 3 and −2
    ScoredSequence<int[]> row = new ScoredSequence<>(y, logpOld, ones(T), 0.0, logpTeacher, logpRef);
    ObjectiveSettings objective = ObjectiveSettings.skillSd().withRefKl(0.5).withEllClip(1.0);
    StepDiagnostics d;
    try (UpdateStep<int[]> step =
        new UpdateStep<>(manager, policy.parameters(), policy, Optional.empty(), objective, settings(0.01))) {
      d = step.step(List.of(row));
    }
    // Â = 0: the GRPO surrogate is 0, the reference KL is the mean k3 of log π_ref − log π_θ
    double refKl = ((Math.exp(-0.5) + 0.5 - 1) + (Math.exp(0.5) - 0.5 - 1)) / 2;
    assertEquals(refKl, d.refKl(), 1e-6);
    // ℓ clipped to ±1: k3(1) and k3(−1), ρ = 1
    double sdl = ((Math.exp(-1) - 1 + 1) + (Math.exp(1) - 1 - 1)) / 2;
    assertEquals(sdl, d.distillationLoss(), 1e-6);
    assertEquals(1.0, d.ellClipFraction(), 0);
    assertEquals(0.5, d.meanEll(), 1e-6); // the gap is reported before clipping
    assertEquals(0.5 * refKl + 0.001 * sdl, d.loss(), 1e-6);
  }

  private static List<float[]> snapshot(SoftmaxLinearPolicy policy) {
    List<float[]> w = new ArrayList<>();
    for (Pair<String, Parameter> p : policy.parameters()) {
      w.add(p.getValue().getArray().toFloatArray());
    }
    return w;
  }

  private static void assertWeights(List<float[]> expected, List<float[]> actual) {
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i));
    }
  }

  @Test
  void vocabularyDistillationNeedsATeacherForward() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new UpdateStep<>(
                manager, policy.parameters(), policy, Optional.empty(),
                ObjectiveSettings.opd().withFullVocabulary(), settings(0.1)));
  }

  // ---- the skill-conditioned maintenance term: μ · mean NLL of replayed sequences ----

  /** Minibatches of 4, so eight trajectories make two steps. */
  private static UpdateSettings maintenanceSettings() {
    return settings(0.05).withMinibatches(1, 4);
  }

  /** Eight sequences with the given advantages, scored under the policy's current weights. */
  private static List<ScoredSequence<int[]>> batch(SoftmaxLinearPolicy policy, NDManager m, double... adv) {
    double[][] p = policy.conditionals(m);
    List<ScoredSequence<int[]>> out = new ArrayList<>();
    for (int i = 0; i < adv.length; i++) {
      int[] y = {i % V, (i / V) % V};
      out.add(ScoredSequence.of(y, SoftmaxLinearPolicy.tokenLogProbs(p, y), ones(T), adv[i]));
    }
    return out;
  }

  private static List<ScoredSequence<int[]>> replays(int copies, int[] y) {
    List<ScoredSequence<int[]>> out = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      out.add(ScoredSequence.of(y, new float[T], ones(T), 0));
    }
    return out;
  }

  @Test
  void theTermRaisesTheLikelihoodOfTheReplayedSequencesWithoutAddingSteps() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0);
    int[] replayed = {1, 1};
    double before = SoftmaxLinearPolicy.sequenceProbability(policy.conditionals(manager), replayed);
    List<StepDiagnostics> first = null;
    try (UpdateStep<int[]> step =
        new UpdateStep<>(
            manager, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(), maintenanceSettings())) {
      for (int update = 0; update < 30; update++) {
        // advantages 0: the GRPO term has no gradient, so only the maintenance term moves θ
        List<StepDiagnostics> d =
            step.update(batch(policy, manager, 0, 0, 0, 0, 0, 0, 0, 0), replays(4, replayed), 1.0);
        if (first == null) {
          first = d;
        }
      }
      assertEquals(60, step.appliedSteps()); // 8 trajectories in minibatches of 4: two steps per update
    }
    double after = SoftmaxLinearPolicy.sequenceProbability(policy.conditionals(manager), replayed);
    assertEquals(1.0 / 9, before, 1e-6);
    assertTrue(after > 0.6, "P(replayed) " + before + " -> " + after);
    assertEquals(2, first.size());
    for (StepDiagnostics d : first) {
      assertEquals(4, d.maintenanceTokens()); // two replays per step, two tokens each
      assertEquals(d.grpoLoss() + d.maintenanceLoss(), d.loss(), 1e-5);
    }
    assertEquals(Math.log(V), first.get(0).maintenanceLoss(), 1e-5); // uniform start: −log(1/3) per token
    assertTrue(first.get(1).maintenanceLoss() < Math.log(V)); // one step later the replays are likelier
  }

  @Test
  void withoutWeightOrReplaysTheUpdateIsThePlainOne() {
    double[] adv = {1, -1, 0.5, -0.5, 1, -1, 0.25, -0.25};
    float[][] plain = weightsAfter((step, b) -> step.update(b), adv);
    float[][] zeroWeight = weightsAfter((step, b) -> step.update(b, replays(4, new int[] {1, 1}), 0), adv);
    float[][] noReplays = weightsAfter((step, b) -> step.update(b, List.of(), 1.0), adv);
    for (int i = 0; i < plain.length; i++) {
      assertArrayEquals(plain[i], zeroWeight[i]);
      assertArrayEquals(plain[i], noReplays[i]);
    }
    float[][] withReplays = weightsAfter((step, b) -> step.update(b, replays(4, new int[] {1, 1}), 1.0), adv);
    assertTrue(!Arrays.equals(plain[0], withReplays[0]), "the term changes the weights");
  }

  @Test
  void aNegativeOrNonFiniteWeightIsRefused() {
    SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(manager, V, T, 0);
    try (UpdateStep<int[]> step =
        new UpdateStep<>(
            manager, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(), maintenanceSettings())) {
      List<ScoredSequence<int[]>> b = batch(policy, manager, 1, -1);
      assertThrows(IllegalArgumentException.class, () -> step.update(b, replays(1, new int[] {0, 0}), -1));
      assertThrows(
          IllegalArgumentException.class,
          () -> step.update(b, replays(1, new int[] {0, 0}), Double.POSITIVE_INFINITY));
    }
  }

  private interface Run {
    void apply(UpdateStep<int[]> step, List<ScoredSequence<int[]>> batch);
  }

  /** Three updates of a fresh, zero-initialized policy; its weights after them. */
  private float[][] weightsAfter(Run run, double[] adv) {
    try (NDManager m = manager.newSubManager()) {
      SoftmaxLinearPolicy policy = new SoftmaxLinearPolicy(m, V, T, 0);
      try (UpdateStep<int[]> step =
          new UpdateStep<>(m, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(), maintenanceSettings())) {
        for (int i = 0; i < 3; i++) {
          run.apply(step, batch(policy, m, adv));
        }
      }
      List<float[]> out = new ArrayList<>();
      for (Pair<String, Parameter> p : policy.parameters()) {
        out.add(p.getValue().getArray().toFloatArray());
      }
      return out.toArray(new float[0][]);
    }
  }
}
