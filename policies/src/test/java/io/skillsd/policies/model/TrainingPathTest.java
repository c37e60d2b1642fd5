package io.skillsd.policies.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The differentiable path the objectives train through: per-token log-probs [B, T] and masks. */
class TrainingPathTest {
  private static final ModelConfig SMALL =
      new ModelConfig("qwen3", 40, 16, 24, 2, 4, 2, 8, 10_000.0, 1e-6, false, false, 256);

  private static final TokenBatch BATCH = new TokenBatch(
      List.of(new int[] {1, 5, 9, 13, 17, 21}, new int[] {2, 4, 6, 8}),
      List.of(new boolean[] {false, false, true, true, true, true}, new boolean[] {false, true, true, true}));

  /** Masked mean negative log-likelihood. */
  private static float loss(CausalLm model) {
    try (NDManager m = model.manager().newSubManager()) {
      NDArray logp = model.tokenLogProbs(BATCH.ids(m), 1f);
      NDArray mask = BATCH.mask(m);
      return logp.mul(mask).sum().neg().div(mask.sum()).getFloat();
    }
  }

  @Test
  void maskLinesUpWithTokens() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      float[] mask = BATCH.mask(m).toFloatArray();
      assertEquals(List.of(0f, 0f, 1f, 1f, 1f, 1f, 0f, 1f, 1f, 1f, 0f, 0f),
          java.util.stream.IntStream.range(0, mask.length).mapToObj(i -> mask[i]).toList());
      assertEquals(7, BATCH.maskedTokens());
    }
  }

  @Test
  void transcriptsMaskTheirSampledTokens() {
    io.skillsd.policies.prompt.Transcript t =
        io.skillsd.policies.prompt.Transcript.open(new int[] {1, 2}).appendSampled(new int[] {3, 4}).append(new int[] {5});
    TokenBatch batch = TokenBatch.ofTranscripts(List.of(t));
    assertEquals(2, batch.maskedTokens());
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      assertEquals(List.of(0f, 0f, 1f, 1f, 0f),
          java.util.stream.IntStream.range(0, 5).mapToObj(i -> batch.mask(m).toFloatArray()[i]).toList());
    }
  }

  @Test
  void trainingStepsLeaveNothingBehindOnTheModelsManager() {
    // Each step: forward and backward in a sub-manager, then zeroGradients(); the model's own manager must
    // hold the same arrays after step 20 as after step 1, and the gradients must be zero.
    try (CausalLm model = CausalLm.random(SMALL, 4, Device.cpu())) {
      model.setTrainable(true);
      int afterFirst = -1;
      for (int step = 1; step <= 20; step++) {
        try (NDManager m = model.manager().newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray logp = model.tokenLogProbs(BATCH.ids(m), 1f);
          gc.backward(logp.mul(BATCH.mask(m)).sum().neg());
        }
        model.zeroGradients();
        int held = ((ai.djl.ndarray.BaseNDManager) model.manager()).getManagedArrays().size();
        if (step == 1) {
          afterFirst = held;
        }
        assertEquals(afterFirst, held, "arrays on the model's manager after step " + step);
      }
      for (NDArray p : model.parameters().values()) {
        try (NDArray g = p.getGradient()) {
          for (float x : g.toFloatArray()) {
            assertEquals(0f, x, 0f);
          }
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (CausalLm model = CausalLm.random(SMALL, 3, Device.cpu())) {
      model.setTrainable(true);
      String name = "model.layers.1.mlp.up_proj.weight";
      float analytic;
      int at;
      try (NDManager m = model.manager().newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logp = model.tokenLogProbs(BATCH.ids(m), 1f); // [B, T]
        assertEquals(new ai.djl.ndarray.types.Shape(2, 6), logp.getShape());
        NDArray mask = BATCH.mask(m);
        NDArray loss = logp.mul(mask).sum().neg().div(mask.sum());
        gc.backward(loss);
        try (NDArray g = model.parameters().get(name).getGradient()) {
          float[] grad = g.toFloatArray();
          at = 0;
          for (int i = 1; i < grad.length; i++) {
            if (Math.abs(grad[i]) > Math.abs(grad[at])) {
              at = i;
            }
          }
          analytic = grad[at];
        }
      }
      assertTrue(Math.abs(analytic) > 1e-4, "gradient should be non-trivial, got " + analytic);
      NDArray p = model.parameters().get(name);
      int cols = (int) p.getShape().get(1);
      NDIndex idx = new NDIndex(at / cols, at % cols);
      float original = p.get(idx).getFloat();
      float eps = 1e-2f;
      p.set(idx, original + eps);
      float up = loss(model);
      p.set(idx, original - eps);
      float down = loss(model);
      p.set(idx, original);
      float numeric = (up - down) / (2 * eps);
      assertEquals(analytic, numeric, 0.03 * Math.abs(analytic) + 1e-4, "d loss / d " + name);
      model.zeroGradients();
      try (NDArray g = p.getGradient()) {
        assertEquals(0f, g.abs().sum().getFloat());
      }
    }
  }

  @Test
  void aFewAdamWStepsFitABatch() {
    try (CausalLm model = CausalLm.random(SMALL, 4, Device.cpu())) {
      model.setTrainable(true);
      ai.djl.training.optimizer.Optimizer adamW = ai.djl.training.optimizer.Optimizer.adamW()
          .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.02f)).build();
      float before = loss(model);
      for (int step = 0; step < 15; step++) {
        try (NDManager m = model.manager().newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray logp = model.tokenLogProbs(BATCH.ids(m), 1f);
          NDArray mask = BATCH.mask(m);
          gc.backward(logp.mul(mask).sum().neg().div(mask.sum()));
        }
        for (var e : model.parameters().entrySet()) {
          try (NDArray g = e.getValue().getGradient()) {
            adamW.update(e.getKey(), e.getValue(), g);
          }
        }
        model.zeroGradients();
      }
      float after = loss(model);
      assertTrue(after < 0.5f * before, "loss " + before + " -> " + after);
    }
  }
}
