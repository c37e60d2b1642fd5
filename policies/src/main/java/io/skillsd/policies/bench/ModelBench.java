package io.skillsd.policies.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import io.skillsd.policies.generation.Scorer;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.ModelConfig;
import io.skillsd.policies.tokenizer.WordTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Throughput and memory of the policy model on this machine, next to the PyTorch eager reference.
 *
 * <p>For each configuration (the built-in {@code tiny} and the ~10M {@code small10m}, vocabulary of the
 * built-in tokenizer): training tokens/s (forward + backward + AdamW on 8 × 128), scoring tokens/s (8 × 128,
 * no gradient), and KV-cache generation tokens/s at batch 1, 8 and 32 (32-token prompts, 64 sampled tokens).
 * With {@code --reference script.py} the same measurements of {@code qwen_reference.py bench} run right after,
 * in the same process tree, and a table with Java/PyTorch ratios is printed. {@code --rss} instead runs
 * 1,000 training steps and 1,000 generation batches of the tiny model and prints the resident set size.
 *
 * <pre>
 * java -cp CLASSPATH io.skillsd.policies.bench.ModelBench [--config tiny|small10m]... [--seconds 5]
 *     [--threads N] [--reference policies/src/test/python/qwen_reference.py] [--python /usr/bin/python3]
 * java -cp CLASSPATH io.skillsd.policies.bench.ModelBench --rss
 * </pre>
 */
public final class ModelBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One throughput figure. */
  record Measurement(String impl, String config, long params, String kind, int batch, double tokensPerSecond) {}

  private ModelBench() {}

  public static void main(String[] args) throws Exception {
    List<String> configs = new ArrayList<>();
    double seconds = 5;
    String threads = null;
    String reference = null;
    String python = "/usr/bin/python3";
    boolean rss = false;
    int rounds = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configs.add(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--threads" -> threads = args[++i];
        case "--reference" -> reference = args[++i];
        case "--python" -> python = args[++i];
        case "--rss" -> rss = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; allowed: --config, --seconds, --threads, --reference, --python, --rounds, --rss");
      }
    }
    if (threads != null) {
      System.setProperty("ai.djl.pytorch.num_threads", threads);
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    System.out.println("engine: " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
        + ", device " + CausalLm.defaultDevice() + ", cores " + Runtime.getRuntime().availableProcessors());
    if (rss) {
      memory();
      return;
    }
    if (configs.isEmpty()) {
      configs = List.of("tiny", "small10m");
    }
    int vocab = new WordTokenizer().vocabSize();
    // On a shared machine the load drifts; alternating which implementation runs first in each round
    // spreads that drift over both, and each round gets its own table.
    for (int round = 1; round <= rounds; round++) {
      List<Measurement> all = new ArrayList<>();
      for (String name : configs) {
        ModelConfig config = switch (name) {
          case "tiny" -> ModelConfig.tiny(vocab);
          case "small10m" -> ModelConfig.small10m(vocab);
          default -> throw new IllegalArgumentException("unknown config " + name + "; allowed: tiny, small10m");
        };
        boolean javaFirst = round % 2 == 1 || reference == null;
        if (javaFirst) {
          all.addAll(java(name, config, seconds));
        }
        if (reference != null) {
          all.addAll(pytorch(python, reference, name, vocab, seconds, threads));
        }
        if (!javaFirst) {
          all.addAll(java(name, config, seconds));
        }
      }
      System.out.println();
      System.out.println("round " + round + (round % 2 == 1 ? " (DJL first)" : " (PyTorch first)") + ":");
      table(all);
    }
  }

  private static List<Measurement> java(String name, ModelConfig config, double seconds) {
    List<Measurement> out = new ArrayList<>();
    try (CausalLm model = CausalLm.random(config, 0, CausalLm.defaultDevice())) {
      long params = model.parameterCount();
      SplittableRandom rng = new SplittableRandom(1);
      int b = 8;
      int t = 128;
      long[] ids = new long[b * t];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rng.nextInt(config.vocabSize());
      }
      model.setTrainable(true);
      Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
      out.add(report(name, params, "train", b, timed(seconds, () -> {
        trainStep(model, adamW, ids, b, t);
        return b * (t - 1);
      })));
      model.setTrainable(false);

      Scorer scorer = new Scorer(model);
      List<int[]> rows = new ArrayList<>();
      for (int r = 0; r < b; r++) {
        int[] row = new int[t];
        for (int i = 0; i < t; i++) {
          row[i] = (int) ids[r * t + i];
        }
        rows.add(row);
      }
      out.add(report(name, params, "score", b, timed(seconds, () -> {
        scorer.score(rows, 1f);
        return b * (t - 1);
      })));

      Generator generator = new Generator(model);
      for (int gb : new int[] {1, 8, 32}) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int r = 0; r < gb; r++) {
          int[] prompt = new int[32];
          for (int i = 0; i < prompt.length; i++) {
            prompt[i] = rng.nextInt(config.vocabSize());
          }
          requests.add(new GenerationRequest(prompt, SamplingParams.sample(64, List.of(), r)));
        }
        out.add(report(name, params, "generate", gb, timed(seconds, () -> {
          return generator.generate(requests).stream().mapToInt(g -> g.tokens().length).sum();
        })));
      }
    }
    return out;
  }

  /** Forward, backward and AdamW over every parameter; the mean next-token NLL as the loss. */
  private static void trainStep(CausalLm model, Optimizer adamW, long[] ids, int b, int t) {
    try (NDManager m = model.manager().newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray logp = model.tokenLogProbs(m.create(ids, new Shape(b, t)), 1f); // [B, T], column 0 is 0
      gc.backward(logp.sum().neg().div((float) b * (t - 1)));
    }
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        adamW.update(e.getKey(), e.getValue(), g);
      }
    }
    model.zeroGradients();
  }

  private static Measurement report(String name, long params, String kind, int batch, double tokensPerSecond) {
    Measurement m = new Measurement("djl", name, params, kind, batch, tokensPerSecond);
    System.out.printf(Locale.ROOT, "{\"impl\": \"djl\", \"config\": \"%s\", \"params\": %d, \"kind\": \"%s\", "
        + "\"batch\": %d, \"tokens_per_s\": %.1f}%n", name, params, kind, batch, tokensPerSecond);
    return m;
  }

  /** Runs once to warm up, then repeatedly for at least {@code seconds}; returns tokens per second. */
  private static double timed(double seconds, IntSupplier run) {
    run.getAsInt();
    long tokens = 0;
    long start = System.nanoTime();
    double elapsed;
    do {
      tokens += run.getAsInt();
      elapsed = (System.nanoTime() - start) / 1e9;
    } while (elapsed < seconds);
    return tokens / elapsed;
  }

  private static List<Measurement> pytorch(String python, String script, String name, int vocab, double seconds,
      String threads) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python, script, "bench", "--config", name, "--vocab",
        String.valueOf(vocab), "--seconds", String.valueOf(seconds)));
    if (threads != null) {
      cmd.addAll(List.of("--threads", threads));
    }
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (threads != null) {
      // torch.set_num_threads bounds PyTorch's own pool, not OpenBLAS's: Debian's torch does its matrix
      // products in OpenBLAS, whose pthreads pool otherwise takes every core (2 threads here, ~1.7x a
      // single thread's GEMM), and the comparison would not be thread for thread
      builder.environment().put("OPENBLAS_NUM_THREADS", threads);
      builder.environment().put("OMP_NUM_THREADS", threads);
    }
    Process p = builder.start();
    List<Measurement> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println(line);
        if (line.startsWith("{")) {
          JsonNode n = JSON.readTree(line);
          out.add(new Measurement(n.get("impl").asText(), n.get("config").asText(), n.get("params").asLong(),
              n.get("kind").asText(), n.get("batch").asInt(), n.get("tokens_per_s").asDouble()));
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("reference benchmark failed: " + String.join(" ", cmd));
    }
    return out;
  }

  private static void table(List<Measurement> all) {
    Map<String, double[]> rows = new TreeMap<>();
    Map<String, Long> params = new TreeMap<>();
    for (Measurement m : all) {
      String key = m.config() + " | " + m.kind() + " | " + m.batch();
      double[] v = rows.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN});
      v[m.impl().equals("djl") ? 0 : 1] = m.tokensPerSecond();
      params.put(m.config(), m.params());
    }
    System.out.println();
    System.out.println("| config (params) | measurement | batch | DJL tokens/s | PyTorch eager tokens/s | PyTorch / DJL |");
    System.out.println("|---|---|---|---|---|---|");
    for (Map.Entry<String, double[]> e : rows.entrySet()) {
      String[] k = e.getKey().split(" \\| ");
      double[] v = e.getValue();
      System.out.printf(Locale.ROOT, "| %s (%,d) | %s | %s | %.0f | %.0f | %.2f× |%n", k[0], params.get(k[0]), k[1],
          k[2], v[0], v[1], v[1] / v[0]);
    }
  }

  /** RSS over 1,000 training steps and 1,000 generation batches of the tiny model. */
  private static void memory() throws IOException {
    int vocab = new WordTokenizer().vocabSize();
    try (CausalLm model = CausalLm.random(ModelConfig.tiny(vocab), 0, Device.cpu())) {
      SplittableRandom rng = new SplittableRandom(2);
      int b = 4;
      int t = 64;
      long[] ids = new long[b * t];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rng.nextInt(vocab);
      }
      model.setTrainable(true);
      Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
      for (int step = 1; step <= 1000; step++) {
        trainStep(model, adamW, ids, b, t);
        if (step == 1 || step % 100 == 0) {
          System.out.printf(Locale.ROOT, "train step %4d: %s%n", step, memoryLine());
        }
      }
      model.setTrainable(false);
      Generator generator = new Generator(model);
      for (int batch = 1; batch <= 1000; batch++) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
          int[] prompt = new int[8 + r * 4]; // ragged prompts
          for (int i = 0; i < prompt.length; i++) {
            prompt[i] = rng.nextInt(vocab);
          }
          requests.add(new GenerationRequest(prompt, SamplingParams.sample(16, List.of(3), batch * 4L + r)));
        }
        generator.generate(requests);
        if (batch == 1 || batch % 100 == 0) {
          System.out.printf(Locale.ROOT, "generation batch %4d: %s%n", batch, memoryLine());
        }
      }
    }
  }

  /** RSS of the process, and the Java heap in use after a full collection (to tell heap growth from leaks). */
  private static String memoryLine() throws IOException {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "RSS %.1f MiB, Java heap used %.1f MiB", rssMiB(),
        (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
  }

  private static double rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
