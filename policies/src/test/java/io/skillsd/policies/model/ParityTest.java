package io.skillsd.policies.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skillsd.policies.checkpoint.Checkpoints;
import io.skillsd.policies.checkpoint.HostTensor;
import io.skillsd.policies.checkpoint.SafeTensors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our logits against the PyTorch reference's, for checkpoints the reference wrote. */
class ParityTest {

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3", "qwen3-bf16"})
  void logitsMatchTheReference(String fixture) {
    Path dir = Fixtures.parity(fixture);
    SafeTensors expected = SafeTensors.open(dir.resolve("expected.safetensors"));
    long[] ids = expected.readLongs("input_ids");
    HostTensor want = expected.readFloat("logits");
    try (CausalLm model = Checkpoints.load(dir, Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      long[] shape = expected.entries().get("input_ids").shape();
      NDArray logits = model.logits(m.create(ids, new Shape(shape)));
      assertArrayEquals(want.shape(), logits.getShape().getShape());
      float[] got = logits.toFloatArray();
      double maxAbs = 0;
      double maxRef = 0;
      for (int i = 0; i < got.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(got[i] - want.data()[i]));
        maxRef = Math.max(maxRef, Math.abs(want.data()[i]));
      }
      assertTrue(maxRef > 0.5, "fixture logits should not be trivially small");
      assertTrue(maxAbs < 1e-4, fixture + ": max abs difference " + maxAbs);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void fixtureArchitecturesAreTheIntendedOnes(String fixture) {
    ModelConfig c = Checkpoints.readConfig(Fixtures.parity(fixture));
    assertEquals(fixture, c.modelType());
    assertEquals(fixture.equals("qwen2"), c.qkvBias());
    assertEquals(fixture.equals("qwen3"), c.qkNorm());
    assertEquals(fixture.equals("qwen2") ? 2 : 1, Checkpoints.weightFiles(Fixtures.parity(fixture)).size());
    assertEquals(List.of(fixture.equals("qwen3-bf16") ? "BF16" : "F32"),
        Checkpoints.storedDtypes(Fixtures.parity(fixture)));
  }
}
