package io.skillsd.tests.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.settings.SettingsException;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainingRun;
import io.skillsd.policies.checkpoint.HostTensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N iterations straight and N/2 + resume + N/2 give the same weights and the same metrics; the N/2 run is a
 * finished one, extended with more iterations.
 */
class ResumeTest {

  /** What must be identical: every sampled token, outcome and count. */
  private static final String[] EXACT = {"version", "episodes", "launched", "completed", "success", "completion",
      "reward", "return", "format_rate", "skills_selected", "teacher_scored", "clip_fraction", "tokens",
      "distilled_tokens", "sampled_tokens"};

  /**
   * Float32 sums inside libtorch's CPU kernels may differ in the last bits between two processes (memory
   * layout); these agree within 1e-6 absolute or 1e-5 relative (docs/RUNTIME.md, "Reproducibility").
   */
  private static final String[] CLOSE = {"teacher_student_gap", "loss", "grpo_loss", "sdl_loss", "mean_rho", "grad_norm"};

  private static Map<String, String> settings(Path dir, int iterations) {
    Map<String, String> o = new HashMap<>(SkillSdEndToEndTest.smallRun(dir));
    o.put("skillsd.train.iterations", Integer.toString(iterations));
    o.put("skillsd.train.checkpoint-every", "2");
    o.put("skillsd.train.eval-every", "0");
    o.put("skillsd.train.record-token-logprobs", "false");
    return o;
  }

  @Test
  void resumedRunMatchesStraightRun(@TempDir Path straightDir, @TempDir Path resumedDir) throws Exception {
    TrainingRun.Result straight = TrainingRun.run(SkillsdSettings.load(null, settings(straightDir, 4)));
    assertTrue(straight.ok(), straight.message());

    TrainingRun.Result half = TrainingRun.run(SkillsdSettings.load(null, settings(resumedDir, 2)));
    assertTrue(half.ok(), half.message());
    TrainingRun.Result resumed = TrainingRun.resume(half.runDir(), Map.of("skillsd.train.iterations", "4"));
    assertTrue(resumed.ok(), resumed.message());
    // A finished run continues only with more iterations than it made.
    SettingsException refused = assertThrows(SettingsException.class, () -> TrainingRun.resume(resumed.runDir(), Map.of()));
    assertTrue(refused.getMessage().contains("finished its 4 iterations"), refused.getMessage());

    Map<String, HostTensor> a = TrainingModels.readAll(straight.runDir().resolve("checkpoints/final/model.safetensors"));
    Map<String, HostTensor> b = TrainingModels.readAll(resumed.runDir().resolve("checkpoints/final/model.safetensors"));
    assertEquals(a.keySet(), b.keySet());
    double maxDiff = 0;
    for (String name : a.keySet()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      for (int i = 0; i < x.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
      }
    }
    assertTrue(maxDiff <= 1e-6, "final weights differ by " + maxDiff);
    // The weights moved at all (the comparison is not between two untouched models).
    Map<String, HostTensor> afterTwo = TrainingModels.readAll(straight.runDir().resolve("checkpoints/iter-0002/model.safetensors"));
    assertTrue(!afterTwo.equals(a), "iterations 3 and 4 changed the weights");

    List<JsonNode> straightTrain = train(straight.runDir());
    List<JsonNode> resumedTrain = train(resumed.runDir());
    assertEquals(4, straightTrain.size());
    assertEquals(4, resumedTrain.size());
    for (int i = 0; i < 4; i++) {
      for (String key : EXACT) {
        assertEquals(straightTrain.get(i).path(key).asText(), resumedTrain.get(i).path(key).asText(),
            "iteration " + (i + 1) + " metric " + key);
      }
      for (String key : CLOSE) {
        double x = straightTrain.get(i).path(key).asDouble();
        double y = resumedTrain.get(i).path(key).asDouble();
        assertEquals(x, y, Math.max(1e-6, 1e-5 * Math.abs(x)), "iteration " + (i + 1) + " metric " + key);
      }
    }
  }

  private static List<JsonNode> train(Path runDir) throws Exception {
    return SkillSdEndToEndTest.lines(runDir.resolve("metrics.jsonl")).stream()
        .filter(m -> m.path("type").asText().equals("train")).toList();
  }
}
