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
import io.skillsd.policies.compute.Scalars;
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
 * With {@code --reference script.py} the same measurements of {@code qwen_reference.py serve} are taken
 * interleaved with DJL's — each DJL measurement right next to the same PyTorch one, which of the two goes first
 * alternating by round — and a table with PyTorch/DJL ratios is printed per round and, over several
 * {@code --rounds}, a table of medians. {@code --rss} instead runs
 * 1,000 training steps and 1,000 generation batches of the tiny model and prints the resident set size.
 *
 * <pre>
 * java -cp CLASSPATH io.skillsd.policies.bench.ModelBench [--config tiny|small10m]... [--seconds 5]
 *     [--threads N] [--rounds R] [--reference policies/src/test/python/qwen_reference.py] [--python /usr/bin/python3]
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
    int roundCount = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configs.add(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--threads" -> threads = args[++i];
        case "--reference" -> reference = args[++i];
        case "--python" -> python = args[++i];
        case "--rss" -> rss = true;
        case "--rounds" -> roundCount = Integer.parseInt(args[++i]);
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
    // On a shared machine the speed drifts over seconds. Each measurement of one implementation is taken
    // right next to the same measurement of the other (which goes first alternates by round), so a ratio
    // compares two figures taken under the same conditions.
    List<List<Measurement>> rounds = new ArrayList<>();
    for (int round = 0; round < roundCount; round++) {
      rounds.add(new ArrayList<>());
    }
    for (String name : configs) {
      ModelConfig config = switch (name) {
        case "tiny" -> ModelConfig.tiny(vocab);
        case "small10m" -> ModelConfig.small10m(vocab);
        default -> throw new IllegalArgumentException("unknown config " + name + "; allowed: tiny, small10m");
      };
      try (CausalLm model = CausalLm.random(config, 0, CausalLm.defaultDevice());
          Reference ref = reference == null ? null : Reference.start(python, reference, name, vocab, threads)) {
        List<Work> work = work(model);
        for (int round = 0; round < roundCount; round++) {
          for (Work w : work) {
            boolean djlFirst = round % 2 == 0 || ref == null;
            if (djlFirst) {
              rounds.get(round).add(report(name, model, w, seconds));
            }
            if (ref != null) {
              rounds.get(round).add(ref.measure(w.kind(), w.batch(), seconds));
            }
            if (!djlFirst) {
              rounds.get(round).add(report(name, model, w, seconds));
            }
          }
        }
      }
    }
    for (int round = 0; round < roundCount; round++) {
      System.out.println();
      System.out.println("round " + (round + 1) + (round % 2 == 0 ? " (DJL first in each pair)" : " (PyTorch first in each pair)") + ":");
      table(rounds.get(round));
    }
    if (roundCount > 1 && reference != null) {
      System.out.println();
      System.out.println("median over " + roundCount + " rounds:");
      medians(rounds);
    }
  }

  /** One measurement: what it runs, and how much of it one call does. */
  private record Work(String kind, int batch, boolean trainable, IntSupplier step) {}

  /** The measurements on {@code model}, in the order they run; the model stays open across rounds. */
  private static List<Work> work(CausalLm model) {
    ModelConfig config = model.config();
    List<Work> out = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(1);
    int b = 8;
    int t = 128;
    long[] ids = new long[b * t];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(config.vocabSize());
    }
    Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
    out.add(new Work("train", b, true, () -> {
      trainStep(model, adamW, ids, b, t);
      return b * (t - 1);
    }));

    Scorer scorer = new Scorer(model);
    List<int[]> rows = new ArrayList<>();
    for (int r = 0; r < b; r++) {
      int[] row = new int[t];
      for (int i = 0; i < t; i++) {
        row[i] = (int) ids[r * t + i];
      }
      rows.add(row);
    }
    out.add(new Work("score", b, false, () -> {
      scorer.score(rows, 1f);
      return b * (t - 1);
    }));

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
      out.add(new Work("generate", gb, false,
          () -> generator.generate(requests).stream().mapToInt(g -> g.tokens().length).sum()));
    }
    return out;
  }

  /** Forward, backward and AdamW over every parameter; the mean next-token NLL as the loss. */
  private static void trainStep(CausalLm model, Optimizer adamW, long[] ids, int b, int t) {
    try (NDManager m = model.manager().newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray logp = model.tokenLogProbs(m.create(ids, new Shape(b, t)), 1f); // [B, T], column 0 is 0
      gc.backward(logp.sum().neg().div(Scalars.of(logp.getManager(), (float) b * (t - 1))));
    }
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        adamW.update(e.getKey(), e.getValue(), g);
      }
    }
    model.zeroGradients();
  }

  private static Measurement report(String name, CausalLm model, Work work, double seconds) {
    model.setTrainable(work.trainable());
    double tokensPerSecond = timed(seconds, work.step());
    Measurement m = new Measurement("djl", name, model.parameterCount(), work.kind(), work.batch(), tokensPerSecond);
    System.out.printf(Locale.ROOT, "{\"impl\": \"djl\", \"config\": \"%s\", \"params\": %d, \"kind\": \"%s\", "
        + "\"batch\": %d, \"tokens_per_s\": %.1f}%n", name, m.params(), work.kind(), work.batch(), tokensPerSecond);
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

  /**
   * The PyTorch reference ({@code qwen_reference.py serve}) for one configuration, kept running so that each of
   * its measurements can be taken right next to DJL's.
   */
  private static final class Reference implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final java.io.Writer in;
    private final String command;

    private Reference(Process process, String command) {
      this.process = process;
      this.command = command;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static Reference start(String python, String script, String name, int vocab, String threads) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(python, script, "serve", "--config", name, "--vocab",
          String.valueOf(vocab)));
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
      Reference ref = new Reference(builder.start(), String.join(" ", cmd));
      ref.next(); // {"ready": true, ...}
      return ref;
    }

    Measurement measure(String kind, int batch, double seconds) throws IOException {
      in.write(kind + " " + batch + " " + seconds + "\n");
      in.flush();
      JsonNode n = next();
      return new Measurement(n.get("impl").asText(), n.get("config").asText(), n.get("params").asLong(),
          n.get("kind").asText(), n.get("batch").asInt(), n.get("tokens_per_s").asDouble());
    }

    /** The next JSON line of the reference (other lines are passed through). */
    private JsonNode next() throws IOException {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println(line);
        if (line.startsWith("{")) {
          return JSON.readTree(line);
        }
      }
      throw new IllegalStateException("the reference benchmark stopped (exit " + waitExit() + "): " + command);
    }

    private int waitExit() {
      try {
        return process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) ? process.exitValue() : -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    @Override
    public void close() {
      try {
        in.write("quit\n");
        in.flush();
      } catch (IOException e) {
        // already gone
      }
      if (waitExit() == -1) {
        process.destroyForcibly();
      }
    }
  }

  /** Per measurement over every round: the median DJL and PyTorch figures and the median of the rounds' ratios. */
  private static void medians(List<List<Measurement>> rounds) {
    Map<String, List<double[]>> byMeasurement = new TreeMap<>();
    for (List<Measurement> round : rounds) {
      pairs(round).forEach((k, v) -> byMeasurement.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Map<String, Long> params = params(rounds.get(0));
    System.out.println();
    System.out.println("| config (params) | measurement | batch | DJL tokens/s | PyTorch eager tokens/s | PyTorch / DJL (median of rounds) | range |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<double[]>> e : byMeasurement.entrySet()) {
      String[] k = e.getKey().split(" \\| ");
      List<double[]> v = e.getValue();
      double[] ratios = v.stream().mapToDouble(x -> x[1] / x[0]).sorted().toArray();
      System.out.printf(Locale.ROOT, "| %s (%,d) | %s | %s | %.0f | %.0f | %.2f× | %.2f–%.2f× |%n", k[0], params.get(k[0]),
          k[1], k[2], median(v.stream().mapToDouble(x -> x[0]).toArray()),
          median(v.stream().mapToDouble(x -> x[1]).toArray()), median(ratios), ratios[0], ratios[ratios.length - 1]);
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** One round's figures by measurement ("config | kind | batch"): {DJL, PyTorch} tokens/s, NaN where absent. */
  private static Map<String, double[]> pairs(List<Measurement> round) {
    Map<String, double[]> rows = new TreeMap<>();
    for (Measurement m : round) {
      String key = m.config() + " | " + m.kind() + " | " + m.batch();
      double[] v = rows.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN});
      v[m.impl().equals("djl") ? 0 : 1] = m.tokensPerSecond();
    }
    return rows;
  }

  /** Parameters per configuration, for the tables. */
  private static Map<String, Long> params(List<Measurement> measurements) {
    Map<String, Long> params = new TreeMap<>();
    measurements.forEach(m -> params.put(m.config(), m.params()));
    return params;
  }

  private static void table(List<Measurement> all) {
    Map<String, Long> params = params(all);
    System.out.println();
    System.out.println("| config (params) | measurement | batch | DJL tokens/s | PyTorch eager tokens/s | PyTorch / DJL |");
    System.out.println("|---|---|---|---|---|---|");
    for (Map.Entry<String, double[]> e : pairs(all).entrySet()) {
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
