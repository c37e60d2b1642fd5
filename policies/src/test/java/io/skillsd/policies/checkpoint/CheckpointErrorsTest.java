package io.skillsd.policies.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.skillsd.policies.model.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of broken checkpoint gives one clear, one-line error naming the file. */
class CheckpointErrorsTest {
  @TempDir Path tmp;

  private Path copyOf(String fixture) throws IOException {
    Path src = Fixtures.parity(fixture);
    Path dst = tmp.resolve(fixture);
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dst;
  }

  private static CheckpointFormatException loadFails(Path dir) {
    CheckpointFormatException e =
        assertThrows(CheckpointFormatException.class, () -> Checkpoints.load(dir, Device.cpu()));
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void truncatedWeightsFile() throws IOException {
    Path dir = copyOf("qwen3");
    Path weights = dir.resolve("model.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.setLength(f.length() - 100);
    }
    CheckpointFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertEquals(weights, e.file());
  }

  @Test
  void fileCutInsideTheHeader() throws IOException {
    Path dir = copyOf("qwen3");
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
      f.setLength(20);
    }
    assertTrue(loadFails(dir).getMessage().contains("truncated"));
  }

  @Test
  void wrongShape() throws IOException {
    Path dir = copyOf("qwen3");
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"intermediate_size\": 48", "\"intermediate_size\": 40"));
    CheckpointFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("mlp.down_proj.weight' has shape [32, 48], config.json implies [32, 40]")
        || e.getMessage().contains("has shape [48, 32], config.json implies [40, 32]"), e.getMessage());
  }

  @Test
  void unknownModelType() throws IOException {
    Path dir = copyOf("qwen3");
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"model_type\": \"qwen3\"", "\"model_type\": \"llama\""));
    CheckpointFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("unknown model_type 'llama'; supported: qwen2, qwen3"), e.getMessage());
    assertEquals(config, e.file());
  }

  @Test
  void missingConfigAndMissingWeightsAndMissingShard() throws IOException {
    Path dir = copyOf("qwen2");
    Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
    assertTrue(loadFails(dir).getMessage().contains("missing safetensors file"));
    Files.delete(dir.resolve("model.safetensors.index.json"));
    assertTrue(loadFails(dir).getMessage().contains("no model.safetensors"));
    Files.delete(dir.resolve("config.json"));
    assertTrue(loadFails(dir).getMessage().contains("missing config.json"));
    assertTrue(loadFails(tmp.resolve("nowhere")).getMessage().contains("not a checkpoint directory"));
  }

  @Test
  void malformedConfigIsOneLine() throws IOException {
    Path dir = copyOf("qwen3");
    Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"qwen3\",\n \"vocab_size\": ");
    CheckpointFormatException e = loadFails(dir);
    assertTrue(e.getMessage().startsWith(dir.resolve("config.json").toString()), e.getMessage());
  }

  @Test
  void missingTensor() throws IOException {
    Path dir = copyOf("qwen3");
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
    assertTrue(loadFails(dir).getMessage().contains("missing tensor 'model.layers.2."), "layer 2 absent");
  }

  @Test
  void unsupportedDtype() throws IOException {
    Path file = tmp.resolve("odd.safetensors");
    writeRaw(file, "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.open(file));
    assertTrue(e.getMessage().contains("unsupported dtype F8_E4M3"), e.getMessage());
  }

  @Test
  void byteRangeThatDoesNotMatchTheShape() throws IOException {
    Path file = tmp.resolve("bad.safetensors");
    writeRaw(file, "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.open(file));
    assertTrue(e.getMessage().contains("does not hold [3] of F32"), e.getMessage());
  }

  private static void writeRaw(Path file, String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    Files.write(file, b.array());
  }
}
