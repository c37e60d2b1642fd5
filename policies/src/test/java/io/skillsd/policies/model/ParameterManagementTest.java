package io.skillsd.policies.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skillsd.policies.checkpoint.Checkpoints;
import io.skillsd.policies.checkpoint.HostTensor;
import io.skillsd.policies.tokenizer.ChatTemplate;
import io.skillsd.policies.tokenizer.HfTokenizer;
import io.skillsd.policies.tokenizer.WordTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterManagementTest {
  private static final ModelConfig SMALL =
      new ModelConfig("qwen2", 48, 16, 24, 1, 2, 1, 8, 10_000.0, 1e-6, true, false, 128);

  @TempDir Path tmp;

  private static float[] logits(CausalLm model) {
    try (NDManager m = model.manager().newSubManager()) {
      return model.logits(m.create(new long[] {1, 2, 3, 4}, new Shape(1, 4))).toFloatArray();
    }
  }

  @Test
  void copyFromMakesTheTeacherComputeLikeTheStudent() {
    try (CausalLm teacher = CausalLm.random(SMALL, 1, Device.cpu());
        CausalLm student = CausalLm.random(SMALL, 2, Device.cpu())) {
      float[] studentBefore = logits(student);
      assertNotEquals(logits(teacher)[0], studentBefore[0]);
      teacher.copyFrom(student);
      assertArrayEquals(studentBefore, logits(teacher));
      assertArrayEquals(studentBefore, logits(student));
    }
  }

  @Test
  void publishedWeightsCanBeSetInPlace() {
    try (CausalLm learner = CausalLm.random(SMALL, 1, Device.cpu());
        CausalLm server = CausalLm.random(SMALL, 2, Device.cpu())) {
      Map<String, HostTensor> published = learner.toHost();
      server.setWeights(published);
      assertArrayEquals(logits(learner), logits(server));
      Map<String, HostTensor> broken = new java.util.HashMap<>(published);
      broken.put("model.norm.weight", new HostTensor(new long[] {3}, new float[3]));
      assertThrows(IllegalArgumentException.class, () -> server.setWeights(broken));
      assertArrayEquals(logits(learner), logits(server));
    }
  }

  @Test
  void emaMixesEachWeightByTau() {
    try (CausalLm teacher = CausalLm.random(SMALL, 1, Device.cpu());
        CausalLm student = CausalLm.random(SMALL, 2, Device.cpu())) {
      String name = "model.layers.0.self_attn.q_proj.weight";
      float[] t0 = teacher.parameters().get(name).toFloatArray();
      float[] s0 = student.parameters().get(name).toFloatArray();
      teacher.ema(student, 0.9f);
      float[] t1 = teacher.parameters().get(name).toFloatArray();
      for (int i = 0; i < t0.length; i++) {
        assertEquals(0.9f * t0[i] + 0.1f * s0[i], t1[i], 1e-6f);
      }
      assertThrows(IllegalArgumentException.class, () -> teacher.ema(student, 1f));
    }
  }

  @Test
  void saveAndLoadRoundTripWeightsConfigAndOptimizerState() {
    Path dir = tmp.resolve("ckpt");
    Map<String, HostTensor> adam = Map.of(
        "exp_avg.model.norm.weight", new HostTensor(new long[] {64}, new float[64]),
        "step", new HostTensor(new long[] {}, new float[] {17}));
    try (LanguageModel lm = LanguageModel.builtIn("tiny", 5, Device.cpu())) {
      lm.save(dir, adam);
      try (LanguageModel back = LanguageModel.load(dir, Device.cpu())) {
        assertEquals(lm.model().config(), back.model().config());
        assertArrayEquals(logits(lm.model()), logits(back.model()));
        assertTrue(back.tokenizer() instanceof WordTokenizer);
        assertEquals(new ChatTemplate.Plain(), back.format().template());
      }
    }
    assertEquals(adam, Checkpoints.readOptimizerState(dir));
  }

  @Test
  void huggingFaceDirectoryLoadsWithItsTokenizerAndSavesIt() {
    Path out = tmp.resolve("resaved");
    try (LanguageModel lm = LanguageModel.load(Fixtures.parity("qwen2"), Device.cpu())) {
      assertTrue(lm.tokenizer() instanceof HfTokenizer);
      assertEquals(new ChatTemplate.ChatMl(), lm.format().template());
      ModelInfo info = lm.info();
      assertEquals("qwen2", info.modelType());
      assertEquals(lm.model().parameterCount(), info.parameters());
      assertTrue(info.summary().contains("stored dtype: F32"), info.summary());
      lm.save(out, Map.of());
      assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
    }
    try (LanguageModel back = LanguageModel.load(out, Device.cpu())) {
      assertEquals(Checkpoints.readConfig(Fixtures.parity("qwen2")), back.model().config());
    }
  }

  @Test
  void builtInTinyGeneratesText() {
    try (LanguageModel lm = LanguageModel.builtIn("tiny", 5, Device.cpu())) {
      assertTrue(lm.model().parameterCount() > 50_000);
      String reply = lm.generate("#_P_#", 1f, 6, 3);
      assertEquals(reply, lm.generate("#_P_#", 1f, 6, 3));
      assertTrue(!reply.isEmpty());
    }
  }
}
