package io.skillsd.policies.compute;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Checks that the compute stack works on this machine: the DJL PyTorch engine loads offline and computes,
 * the HuggingFace tokenizers native library loads, and which libtorch flavour and device are in use.
 * {@code ./skillsd doctor} prints these; nothing here downloads anything.
 */
public final class EngineProbe {

  private EngineProbe() {}

  /** The DJL version on the class path (without loading an engine). */
  public static String djlVersion() {
    return Engine.getDjlVersion();
  }

  /** What the engine reported. */
  public record EngineReport(String engine, String engineVersion, String flavour, int gpuCount, String device) {}

  /**
   * Loads the PyTorch engine, multiplies a 2×2 matrix by itself and checks the result.
   *
   * @throws IllegalStateException when the engine loads but computes a wrong result
   */
  public static EngineReport probeEngine() {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      float[] product = a.matMul(a).toFloatArray();
      float[] expected = {7, 10, 15, 22};
      for (int i = 0; i < expected.length; i++) {
        if (Math.abs(product[i] - expected[i]) > 1e-5) {
          throw new IllegalStateException("matmul gave " + java.util.Arrays.toString(product)
              + ", expected " + java.util.Arrays.toString(expected));
        }
      }
    }
    int gpus = engine.getGpuCount();
    Device device = gpus > 0 ? Device.gpu() : Device.cpu();
    return new EngineReport(engine.getEngineName(), engine.getVersion(), libtorchFlavour(), gpus, device.toString());
  }

  /**
   * The libtorch flavour: {@code cpu} when the bundled CPU native jar is on the class path, otherwise what
   * {@code PYTORCH_FLAVOR} names, otherwise {@code auto} (DJL picks or downloads one).
   */
  public static String libtorchFlavour() {
    try (InputStream in = EngineProbe.class.getResourceAsStream("/native/lib/pytorch.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String placeholder = p.getProperty("placeholder");
        if (placeholder == null) {
          return p.getProperty("flavor", "cpu") + " (bundled jar, " + p.getProperty("version", "?") + ")";
        }
      }
    } catch (IOException e) {
      // fall through to the environment's choice
    }
    String env = System.getenv("PYTORCH_FLAVOR");
    if (System.getenv("PYTORCH_LIBRARY_PATH") != null) {
      return "external libtorch at " + System.getenv("PYTORCH_LIBRARY_PATH");
    }
    return env != null ? env : "auto";
  }

  /** Loads the tokenizers native library by building a two-word tokenizer and encoding with it. */
  public static int probeTokenizers(Path scratchDir) throws IOException {
    String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,"
        + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,\"hello\":1,\"world\":2},"
        + "\"unk_token\":\"[UNK]\"}}";
    Path file = Files.createTempFile(scratchDir, "doctor-tokenizer", ".json");
    try {
      Files.writeString(file, json, StandardCharsets.UTF_8);
      try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file)) {
        long[] ids = tokenizer.encode("hello world", false, false).getIds();
        if (ids.length != 2 || ids[0] != 1 || ids[1] != 2) {
          throw new IllegalStateException("tokenizer encoded 'hello world' as " + java.util.Arrays.toString(ids));
        }
        return ids.length;
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
