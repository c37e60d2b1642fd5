package io.skillsd.policies.checkpoint;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * HuggingFace-layout checkpoint directories: {@code config.json} plus {@code model.safetensors}, or shards
 * listed by {@code model.safetensors.index.json}; optionally {@code optimizer.safetensors} with optimizer
 * state (e.g. AdamW moments) under any names the optimizer chooses.
 *
 * <p>Loading checks every expected tensor's presence and shape before anything reaches the engine; each
 * problem is a {@link CheckpointFormatException} naming the file.
 */
public final class Checkpoints {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";
  public static final String OPTIMIZER = "optimizer.safetensors";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoints() {}

  /** Reads and validates {@code config.json} of a checkpoint directory. */
  public static ModelConfig readConfig(Path dir) {
    requireDirectory(dir);
    return ModelConfig.read(dir.resolve(CONFIG));
  }

  /**
   * Loads a checkpoint directory onto a device. Every tensor's presence and shape is checked from the file
   * headers first; then tensors are read and copied to the device one at a time.
   */
  public static CausalLm load(Path dir, Device device) {
    ModelConfig config = readConfig(dir);
    Map<String, SafeTensors> files = locate(dir, config);
    return CausalLm.fromLoader(config, name -> files.get(name).readFloat(name), device);
  }

  /** The weight files of a checkpoint: the shards named by the index, or the single file. */
  public static List<Path> weightFiles(Path dir) {
    requireDirectory(dir);
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      return List.copyOf(new TreeSet<>(shardMap(index).values()).stream().map(dir::resolve).toList());
    }
    Path single = dir.resolve(WEIGHTS);
    if (Files.isRegularFile(single)) {
      return List.of(single);
    }
    throw new CheckpointFormatException(dir, "no " + WEIGHTS + " and no " + INDEX);
  }

  /** Reads, checks and widens to float32 every tensor the configuration needs. */
  public static Map<String, HostTensor> readWeights(Path dir, ModelConfig config) {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    locate(dir, config).forEach((name, st) -> out.put(name, st.readFloat(name)));
    return out;
  }

  /** For each expected tensor, the file holding it, after checking presence and shape from the headers. */
  private static Map<String, SafeTensors> locate(Path dir, ModelConfig config) {
    Map<String, SafeTensors> byTensor = new TreeMap<>();
    for (Path file : weightFiles(dir)) {
      SafeTensors st = SafeTensors.open(file);
      for (String name : st.entries().keySet()) {
        byTensor.put(name, st);
      }
    }
    Map<String, SafeTensors> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : CausalLm.expectedShapes(config).entrySet()) {
      SafeTensors st = byTensor.get(e.getKey());
      if (st == null) {
        throw new CheckpointFormatException(dir, "missing tensor '" + e.getKey() + "' for a "
            + config.modelType() + " model with " + config.numLayers() + " layers");
      }
      long[] shape = st.entries().get(e.getKey()).shape();
      if (!Arrays.equals(shape, e.getValue())) {
        throw new CheckpointFormatException(st.file(), "tensor '" + e.getKey() + "' has shape "
            + Arrays.toString(shape) + ", config.json implies " + Arrays.toString(e.getValue()));
      }
      out.put(e.getKey(), st);
    }
    return out;
  }

  /** The stored dtypes of the weights, e.g. {@code [BF16]}. */
  public static List<String> storedDtypes(Path dir) {
    TreeSet<String> dtypes = new TreeSet<>();
    for (Path file : weightFiles(dir)) {
      SafeTensors.open(file).entries().values().forEach(e -> dtypes.add(e.dtype()));
    }
    return List.copyOf(dtypes);
  }

  /**
   * Writes {@code config.json} and {@code model.safetensors} (float32), plus {@code optimizer.safetensors}
   * when {@code optimizerState} is not empty. Creates the directory; replaces files of an earlier save.
   */
  public static void save(Path dir, CausalLm model, Map<String, HostTensor> optimizerState) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(CONFIG), model.config().toJson());
      Files.deleteIfExists(dir.resolve(INDEX));
    } catch (IOException e) {
      throw new CheckpointFormatException(dir, "cannot write: " + e.getMessage());
    }
    SafeTensors.write(dir.resolve(WEIGHTS), model.toHost(), Map.of("format", "pt"));
    if (!optimizerState.isEmpty()) {
      SafeTensors.write(dir.resolve(OPTIMIZER), optimizerState, Map.of("format", "pt"));
    }
  }

  /** Reads {@code optimizer.safetensors} (empty when the checkpoint has none). */
  public static Map<String, HostTensor> readOptimizerState(Path dir) {
    Path file = dir.resolve(OPTIMIZER);
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    SafeTensors st = SafeTensors.open(file);
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (String name : st.entries().keySet()) {
      out.put(name, st.readFloat(name));
    }
    return out;
  }

  private static void requireDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointFormatException(dir, "not a checkpoint directory");
    }
  }

  private static Map<String, String> shardMap(Path index) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(index));
    } catch (IOException e) {
      throw new CheckpointFormatException(index, "corrupt index: " + e.getMessage().lines().findFirst().orElse(""));
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new CheckpointFormatException(index, "corrupt index: no weight_map object");
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      String file = e.getValue().asText();
      if (file.contains("/") || file.contains("\\")) {
        throw new CheckpointFormatException(index, "shard name '" + file + "' must be a plain file name");
      }
      out.put(e.getKey(), file);
    }
    return out;
  }

}
