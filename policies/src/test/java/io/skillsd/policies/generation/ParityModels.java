package io.skillsd.policies.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.skillsd.policies.checkpoint.Checkpoints;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The generation tests' models: the Qwen2 and Qwen3 parity checkpoints, loaded once per test class. */
abstract class ParityModels {
  static CausalLm qwen2;
  static CausalLm qwen3;

  @BeforeAll
  static void load() {
    qwen2 = Checkpoints.load(Fixtures.parity("qwen2"), Device.cpu());
    qwen3 = Checkpoints.load(Fixtures.parity("qwen3"), Device.cpu());
  }

  @AfterAll
  static void close() {
    qwen2.close();
    qwen3.close();
  }

  /** "qwen2" or "qwen3". */
  static CausalLm model(String name) {
    return name.equals("qwen2") ? qwen2 : qwen3;
  }

  static float maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
