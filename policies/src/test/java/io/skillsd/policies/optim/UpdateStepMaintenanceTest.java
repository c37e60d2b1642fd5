package io.skillsd.policies.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.skillsd.policies.objectives.ObjectiveSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The skill-conditioned maintenance term of the update step: μ · mean NLL of replayed sequences. */
class UpdateStepMaintenanceTest {

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

  private static UpdateSettings settings() {
    return new UpdateSettings(
        1, 4, LearningRateSchedule.constant(0.05, 0), new AdamW.Settings(0.9, 0.999, 1e-8, 0), 1.0, 3, 7);
  }

  private static float[] ones() {
    float[] a = new float[T];
    Arrays.fill(a, 1f);
    return a;
  }

  /** Eight sequences with the given advantages, scored under the policy's current weights. */
  private static List<ScoredSequence<int[]>> batch(SoftmaxLinearPolicy policy, NDManager m, double... adv) {
    double[][] p = policy.conditionals(m);
    List<ScoredSequence<int[]>> out = new ArrayList<>();
    for (int i = 0; i < adv.length; i++) {
      int[] y = {i % V, (i / V) % V};
      out.add(ScoredSequence.of(y, SoftmaxLinearPolicy.tokenLogProbs(p, y), ones(), adv[i]));
    }
    return out;
  }

  private static List<ScoredSequence<int[]>> replays(int copies, int[] y) {
    List<ScoredSequence<int[]>> out = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      out.add(ScoredSequence.of(y, new float[T], ones(), 0));
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
            manager, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(), settings())) {
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
            manager, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(), settings())) {
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
          new UpdateStep<>(m, policy.parameters(), policy, Optional.empty(), ObjectiveSettings.grpo(), settings())) {
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
