package io.skillsd.policies.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import io.skillsd.policies.checkpoint.HostTensor;
import io.skillsd.policies.compute.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A Qwen2/Qwen3-family decoder-only language model: token embedding, then per layer RMSNorm → grouped-query
 * attention with rotary position embeddings (optional q/k/v bias, optional per-head q/k RMSNorm) → residual,
 * RMSNorm → SwiGLU MLP → residual, then a final RMSNorm and a tied or untied LM head.
 *
 * <p>Parameters are plain float32 {@link NDArray}s named as in HuggingFace checkpoints
 * ({@code model.layers.0.self_attn.q_proj.weight}, …), owned by this model's manager on its device. The
 * forward pass is written op by op so it reads like the math; every intermediate belongs to the manager of
 * the input ids (the first operand of each op is an activation, never a parameter), so callers bound memory
 * with a sub-manager or an {@link NDScope} per step.
 *
 * <p>Three ways in: {@link #logits} for a right-padded batch, {@link #step} for incremental decoding with a
 * {@link KvCache}, and {@link #tokenLogProbs} — differentiable inside a {@code GradientCollector} — for the
 * learner and the teacher.
 */
public final class CausalLm implements AutoCloseable {
  /** Added to attention scores of masked keys; finite so that a fully masked (padding) row stays finite. */
  private static final float MASKED = -1e9f;
  /**
   * Attention scores (floats, 4 MiB) computed at once before a batch is split into groups of rows; see
   * {@link #attention}. Measured by alternating limits in one JVM, one libtorch thread: whole-sequence
   * batches of 8 × 128 (tiny: 2^19 scores per layer, small10m: 1.5 · 2^19) are faster whole than split (tiny
   * training 57.7 against 62.3 ms row by row at 2^16, tiny scoring 23.5 against 25.6 ms, small10m training
   * 1,081 against 1,150 ms in two groups), while long batches are faster split: a base-agent training step on
   * 16 × 350 tokens took 1,189 ms in groups of 2^16 against 1,523 ms whole, and about the same in groups of
   * 2^16, 2^19 and 2^20 (pairs: 1,156 / 1,128 and 1,202 / 1,209 ms); a 16 × 360 scoring batch 440 ms at 2^16
   * against 530 ms whole, and again about the same at 2^16, 2^19 and 2^20 (478 / 483 and 412 / 417 ms).
   */
  private static final long SCORES_PER_GROUP = 1L << 20;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final float[] invFreq;
  /** RMSNorm's exponent −1/2 as an operand autograd may keep ({@link Scalars}): made once, shared by every call. */
  private final NDArray rmsExponent;

  private CausalLm(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.parameters = Collections.unmodifiableMap(parameters);
    this.rmsExponent = Scalars.of(manager, -0.5f);
    int half = config.headDim() / 2;
    this.invFreq = new float[half];
    for (int i = 0; i < half; i++) {
      // float32 like the reference: theta ** (2i / d)
      float exponent = (float) (2 * i) / config.headDim();
      invFreq[i] = (float) (1.0 / (float) Math.pow(config.ropeTheta(), exponent));
    }
  }

  /** The device DJL picks by default: a GPU when the engine finds one, else the CPU. */
  public static Device defaultDevice() {
    return Engine.getInstance().defaultDevice();
  }

  /** Names and shapes every checkpoint of this configuration must provide, in a stable order. */
  public static Map<String, long[]> expectedShapes(ModelConfig c) {
    Map<String, long[]> s = new LinkedHashMap<>();
    long h = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long ff = c.intermediateSize();
    s.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      s.put(p + "input_layernorm.weight", new long[] {h});
      s.put(p + "self_attn.q_proj.weight", new long[] {q, h});
      s.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
      s.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
      if (c.qkvBias()) {
        s.put(p + "self_attn.q_proj.bias", new long[] {q});
        s.put(p + "self_attn.k_proj.bias", new long[] {kv});
        s.put(p + "self_attn.v_proj.bias", new long[] {kv});
      }
      if (c.qkNorm()) {
        s.put(p + "self_attn.q_norm.weight", new long[] {c.headDim()});
        s.put(p + "self_attn.k_norm.weight", new long[] {c.headDim()});
      }
      s.put(p + "self_attn.o_proj.weight", new long[] {h, q});
      if (c.outputBias()) {
        s.put(p + "self_attn.o_proj.bias", new long[] {h});
      }
      s.put(p + "post_attention_layernorm.weight", new long[] {h});
      s.put(p + "mlp.gate_proj.weight", new long[] {ff, h});
      s.put(p + "mlp.up_proj.weight", new long[] {ff, h});
      s.put(p + "mlp.down_proj.weight", new long[] {h, ff});
    }
    s.put("model.norm.weight", new long[] {h});
    if (!c.tieWordEmbeddings()) {
      s.put("lm_head.weight", new long[] {c.vocabSize(), h});
    }
    return s;
  }

  /** Builds a model from host tensors; every expected tensor must be present with its expected shape. */
  public static CausalLm fromTensors(ModelConfig config, Map<String, HostTensor> tensors, Device device) {
    return fromLoader(config, tensors::get, device);
  }

  /**
   * Builds a model by asking {@code loader} for each expected tensor in turn and copying it to the device
   * right away, so a checkpoint never sits in Java memory whole (a 4B-parameter model would not fit).
   */
  public static CausalLm fromLoader(ModelConfig config, Function<String, HostTensor> loader, Device device) {
    NDManager manager = NDManager.newBaseManager(device);
    Map<String, NDArray> params = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
        HostTensor t = loader.apply(e.getKey());
        if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
          throw new IllegalArgumentException("tensor " + e.getKey() + " missing or of the wrong shape");
        }
        NDArray a = manager.create(t.data(), new Shape(e.getValue()));
        a.setName(e.getKey());
        params.put(e.getKey(), a);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new CausalLm(config, manager, params);
  }

  /** A freshly initialized model: normal(0, 0.02) weights, zero biases, unit norms; same seed, same model. */
  public static CausalLm random(ModelConfig config, long seed, Device device) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
      float[] d = new float[(int) HostTensor.numel(e.getValue())];
      String name = e.getKey();
      if (name.endsWith("norm.weight")) {
        Arrays.fill(d, 1f);
      } else if (!name.endsWith(".bias")) {
        for (int i = 0; i < d.length; i++) {
          d[i] = (float) (0.02 * rng.nextGaussian());
        }
      }
      tensors.put(name, new HostTensor(e.getValue(), d));
    }
    return fromTensors(config, tensors, device);
  }

  public ModelConfig config() {
    return config;
  }

  /** The manager that owns the parameters; use {@code manager().newSubManager()} for per-step work. */
  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return manager.getDevice();
  }

  /** Parameters by HuggingFace name, in a stable order; the arrays are the live weights. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  public long parameterCount() {
    long n = 0;
    for (NDArray p : parameters.values()) {
      n += p.size();
    }
    return n;
  }

  /** Marks every parameter as requiring (or not) a gradient, for training under a GradientCollector. */
  public void setTrainable(boolean trainable) {
    for (NDArray p : parameters.values()) {
      p.setRequiresGradient(trainable);
    }
  }

  /** Sets accumulated gradients to zero (PyTorch accumulates them across backward calls). */
  public void zeroGradients() {
    // The scope frees what each call makes on the parameters' own manager — the gradient's handle and the
    // scalar 0 that set(…) creates — which would otherwise stay there for the model's lifetime, one array per
    // parameter per step.
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (NDArray p : parameters.values()) {
        if (p.hasGradient()) {
          p.getGradient().set(new NDIndex("..."), 0f);
        }
      }
    }
  }

  /** Overwrites this model's weights in place with {@code source}'s (teacher ← student). */
  public void copyFrom(CausalLm source) {
    ema(source, 0f);
  }

  /** θ ← τ·θ + (1 − τ)·θ_source, in place, for every parameter; τ = 0 copies. */
  public void ema(CausalLm source, float tau) {
    if (!source.config.equals(config)) {
      throw new IllegalArgumentException("cannot mix weights of different configurations");
    }
    if (!(tau >= 0f && tau < 1f)) {
      throw new IllegalArgumentException("tau must be in [0, 1), got " + tau);
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        NDArray dst = e.getValue();
        NDArray src = source.parameters.get(e.getKey());
        NDArray mixed = tau == 0f ? src.toDevice(dst.getDevice(), true)
            : dst.mul(tau).addi(src.toDevice(dst.getDevice(), false).mul(1f - tau));
        dst.set(new NDIndex("..."), mixed);
      }
    }
  }

  /**
   * Overwrites the weights in place from host tensors (e.g. weights published by the learner); every
   * parameter must be given with its shape, and nothing is changed when one is missing or mismatched.
   */
  public void setWeights(Map<String, HostTensor> weights) {
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      HostTensor t = weights.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("missing weight " + e.getKey());
      }
      if (!Arrays.equals(t.shape(), e.getValue().getShape().getShape())) {
        throw new IllegalArgumentException("weight " + e.getKey() + " has shape " + Arrays.toString(t.shape())
            + ", expected " + e.getValue().getShape());
      }
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        NDArray dst = e.getValue();
        dst.set(new NDIndex("..."), weights.get(e.getKey()).toNDArray(dst.getManager()));
      }
    }
  }

  /** Copies the weights to Java memory (for saving or sending), by HuggingFace name. */
  public Map<String, HostTensor> toHost() {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray p = e.getValue();
      out.put(e.getKey(), new HostTensor(p.getShape().getShape(), p.toFloatArray()));
    }
    return out;
  }

  /** An empty cache for incremental decoding of {@code batch} rows. */
  public KvCache newCache(int batch) {
    return new KvCache(manager, config.numLayers(), batch);
  }

  /**
   * Logits of a right-padded batch: ids [B, T] (int64) → [B, T, V]. Position t sees tokens 0..t only, so
   * padding after a row's end never changes its real positions.
   */
  public NDArray logits(NDArray ids) {
    return logits(ids, Head.ALL);
  }

  /** Which positions reach the final norm and the LM head. */
  private enum Head { ALL, LAST, ALL_BUT_LAST }

  private NDArray logits(NDArray ids, Head head) {
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    long[] positions = new long[b * t];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        positions[i * t + j] = j;
      }
    }
    return forward(ids, positions, null, null, head);
  }

  /**
   * One incremental step: ids [B, T] of new tokens at the given absolute positions ([B][T]), with
   * {@code valid[b][t]} false for padding slots that no later token may attend to. Keys and values are
   * appended to {@code cache}. Returns logits [B, T, V], or [B, 1, V] for the last slot only when
   * {@code lastOnly}.
   */
  public NDArray step(NDArray ids, long[][] positions, boolean[][] valid, KvCache cache, boolean lastOnly) {
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    if (cache.batch() != b || positions.length != b || valid.length != b) {
      throw new IllegalArgumentException("batch of ids, positions, valid and cache must agree");
    }
    long[] flat = new long[b * t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(positions[i], 0, flat, i * t, t);
    }
    return forward(ids, flat, valid, cache, lastOnly ? Head.LAST : Head.ALL);
  }

  /**
   * About how many bytes one row of {@code length} positions holds at the peak of {@link #tokenLogProbs}'s
   * forward and backward pass under autograd: per layer the attention's scores and probabilities
   * (2 · heads · length² floats; the probabilities stay for the backward pass), plus per position the layers'
   * other activations and the logits with their log-softmax. Measured on the base agent (4 layers, width 128,
   * vocabulary 599, one row, the peak resident memory above the step's start): 174 MB at 1,024 positions and
   * 565 MB at 2,048, against 204 and 699 MB estimated; 16 rows of 360 took 565 MB, estimated 720. It errs on
   * the large side; the learner splits minibatches by it.
   */
  public long trainingBytesPerRow(int length) {
    ModelConfig c = config;
    long t = length;
    long attention = 2L * c.numLayers() * c.numHeads() * t * t;
    long perPosition = (long) c.numLayers() * (16L * c.hiddenSize() + 6L * c.intermediateSize()) + 4L * c.vocabSize();
    return Float.BYTES * (attention + t * perPosition);
  }

  /**
   * Per-token log-probabilities of a right-padded batch of sequences under this model:
   * {@code logp[b, t] = log softmax(logits[b, t−1] / temperature)[ids[b, t]]} for t ≥ 1 and 0 at t = 0, so
   * the result [B, T] lines up with the ids. Differentiable: call it inside a {@code GradientCollector}
   * after {@link #setTrainable} to train on it (this is {@code logpNew} for the objectives).
   */
  public NDArray tokenLogProbs(NDArray ids, float temperature) {
    if (!(temperature > 0f)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
    int b = (int) ids.getShape().get(0);
    // The last position predicts no token of the row: it stops before the LM head, so the head, the
    // log-softmax and their gradients run over [B, T-1] and on contiguous arrays.
    NDArray logits = logits(ids, Head.ALL_BUT_LAST); // [B, T-1, V]
    NDArray logp = (temperature == 1f ? logits : logits.div(Scalars.of(logits.getManager(), temperature)))
        .logSoftmax(-1); // [B, T-1, V]
    NDArray next = ids.get(new NDIndex(":, 1:")).expandDims(-1); // [B, T-1, 1]
    NDArray picked = logp.gather(next, -1).squeeze(-1); // [B, T-1]
    NDArray first = ids.getManager().zeros(new Shape(b, 1), DataType.FLOAT32, ids.getDevice());
    return first.concat(picked, 1); // [B, T]
  }

  private NDArray forward(NDArray ids, long[] positions, boolean[][] valid, KvCache cache, Head keep) {
    ModelConfig c = config;
    NDManager m = ids.getManager();
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    int past = cache == null ? 0 : cache.length();
    if (cache != null) {
      cache.extend(valid);
    }
    NDArray bias = attentionBias(m, b, t, past, cache, c.numHeads() / c.numKvHeads()); // [B or 1, 1, G·T, S]
    NDArray[] rope = rope(m, positions, b, t); // cos, signed sin: [B, 1, T, D]

    NDArray x = Embedding.embedding(ids, p("model.embed_tokens.weight"), SparseFormat.DENSE).singletonOrThrow(); // [B,T,H]
    for (int i = 0; i < c.numLayers(); i++) {
      // Each layer's intermediates are freed when it ends (autograd keeps what it needs), so a long prefill
      // reuses their memory instead of holding every layer's until the step ends.
      NDArray next;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        next = layer(i, x, bias, rope, cache);
        NDScope.unregister(next);
      }
      NDScope.register(next);
      x = next;
    }
    if (keep == Head.LAST) {
      x = x.get(new NDIndex(":, -1:, :"));
    } else if (keep == Head.ALL_BUT_LAST) {
      x = x.get(new NDIndex(":, :-1, :"));
    }
    x = rmsNorm(x, p("model.norm.weight"));
    String head = c.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
    return Linear.linear(x, p(head)).singletonOrThrow();
  }

  /** Decoder layer {@code i} on x [B, T, H]: attention, then MLP, each with its residual. */
  private NDArray layer(int i, NDArray x, NDArray bias, NDArray[] rope, KvCache cache) {
    ModelConfig c = config;
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int h = c.numHeads();
    int d = c.headDim();
    float scale = (float) (1.0 / Math.sqrt(d));
    String l = "model.layers." + i + ".";
    NDArray[] qkv = projections(l, x, b, t);
    NDArray q = applyRope(qkv[0], rope); // [B, H, T, D]
    NDArray k = applyRope(qkv[1], rope); // [B, KV, T, D]
    NDArray v = qkv[2];
    if (cache != null) {
      NDArray[] kv = cache.append(i, k, v);
      k = kv[0]; // [B, KV, S, D]
      v = kv[1];
    }
    NDArray o = attention(q, k, v, bias, scale).reshape(b, h, t, d).transpose(0, 2, 1, 3).reshape(b, t, h * d);
    x = x.add(linear(o, l + "self_attn.o_proj"));
    return mlpResidual(l, x);
  }

  /**
   * Layer {@code l}'s queries, keys and values of x [a, b, H] (or [a·b, H]), each [a, heads, b, D], the per-head
   * norms applied and the rotary embeddings not yet.
   */
  private NDArray[] projections(String l, NDArray x, long a, long b) {
    ModelConfig c = config;
    NDArray hn = rmsNorm(x, p(l + "input_layernorm.weight"));
    NDArray q = linear(hn, l + "self_attn.q_proj").reshape(a, b, c.numHeads(), c.headDim());
    NDArray k = linear(hn, l + "self_attn.k_proj").reshape(a, b, c.numKvHeads(), c.headDim());
    NDArray v = linear(hn, l + "self_attn.v_proj").reshape(a, b, c.numKvHeads(), c.headDim());
    if (c.qkNorm()) {
      q = rmsNorm(q, p(l + "self_attn.q_norm.weight"));
      k = rmsNorm(k, p(l + "self_attn.k_norm.weight"));
    }
    return new NDArray[] {q.transpose(0, 2, 1, 3), k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3)};
  }

  /** The second half of a decoder layer (prefix {@code l}): x + MLP(RMSNorm(x)), on x [..., H]. */
  private NDArray mlpResidual(String l, NDArray x) {
    NDArray hm = rmsNorm(x, p(l + "post_attention_layernorm.weight"));
    NDArray gate = linear(hm, l + "mlp.gate_proj");
    NDArray up = linear(hm, l + "mlp.up_proj");
    NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up); // SiLU(gate) ⊙ up
    return x.add(linear(act, l + "mlp.down_proj"));
  }

  /** An empty cache for {@link #stepContinuous}. */
  public ContinuousCache newContinuousCache() {
    return new ContinuousCache(manager, config);
  }

  /**
   * One step of a continuous batch, in one forward pass: each of the cache's running rows feeds one token
   * ({@code decodeIds[r]} at {@code decodePositions[r]}), each row admitted for this step
   * ({@link ContinuousCache#admit}) its block of new prompt tokens, left-padded ({@code joinIds[j]} at
   * {@code joinPositions[j]}, {@code joinValid[j][i]} false for padding). The linear layers run once over every
   * row's new tokens packed together, with no padding between the running rows; attention runs per part, each
   * row over its own cached tokens. A row's result equals what it gets in a batch of its own, up to float
   * rounding. Keys and values go to the cache.
   *
   * @param m the manager the step's arrays belong to (the caller frees them)
   * @return the last position's logits of every row, in the cache's row order: [running + joining, V]
   */
  public NDArray stepContinuous(NDManager m, long[] decodeIds, long[] decodePositions, long[][] joinIds,
      long[][] joinPositions, boolean[][] joinValid, ContinuousCache cache) {
    ModelConfig c = config;
    int n = cache.decoding();
    int joins = joinIds.length;
    int t = cache.block();
    if (decodeIds.length != n || decodePositions.length != n || joinPositions.length != joins) {
      throw new IllegalArgumentException(decodeIds.length + " decoding tokens for " + n + " running rows, "
          + joins + " joining rows");
    }
    int total = n + joins * t;
    long[] ids = new long[total];
    long[] positions = new long[total];
    System.arraycopy(decodeIds, 0, ids, 0, n);
    System.arraycopy(decodePositions, 0, positions, 0, n);
    for (int j = 0; j < joins; j++) {
      System.arraycopy(joinIds[j], 0, ids, n + j * t, t);
      System.arraycopy(joinPositions[j], 0, positions, n + j * t, t);
    }
    cache.advance(joinValid);
    int start = cache.start();
    int g = c.numHeads() / c.numKvHeads();
    NDArray decodeBias = n == 0 ? null : continuousBias(m, cache, 0, n, 1, start, g);
    NDArray joinBias = joins == 0 ? null : continuousBias(m, cache, n, n + joins, t, start, g);
    NDArray[] rope = rope(m, positions, total, 1); // [N, 1, 1, D]
    NDArray x = Embedding.embedding(m.create(ids), p("model.embed_tokens.weight"), SparseFormat.DENSE)
        .singletonOrThrow(); // [N, H]
    for (int i = 0; i < c.numLayers(); i++) {
      NDArray next;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        next = continuousLayer(i, x, n, joins, t, decodeBias, joinBias, rope, cache, start);
        NDScope.unregister(next);
      }
      NDScope.register(next);
      x = next;
    }
    cache.finishStep();
    NDArray last = x;
    if (joins > 0) {
      NDArray joinLast = (n == 0 ? x : x.get(new NDIndex().addSliceDim(n, total))).reshape(joins, t, c.hiddenSize())
          .get(new NDIndex(":, -1, :"));
      last = n == 0 ? joinLast : x.get(new NDIndex().addSliceDim(0, n)).concat(joinLast, 0);
    }
    last = rmsNorm(last, p("model.norm.weight"));
    String head = c.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
    return Linear.linear(last, p(head)).singletonOrThrow();
  }

  /** Decoder layer {@code i} of {@link #stepContinuous} on the packed new tokens x [N, H]. */
  private NDArray continuousLayer(int i, NDArray x, int n, int joins, int t, NDArray decodeBias, NDArray joinBias,
      NDArray[] rope, ContinuousCache cache, int start) {
    ModelConfig c = config;
    long total = x.getShape().get(0);
    int h = c.numHeads();
    int d = c.headDim();
    float scale = (float) (1.0 / Math.sqrt(d));
    String l = "model.layers." + i + ".";
    NDArray[] qkv = projections(l, x, total, 1);
    NDArray q = applyRope(qkv[0], rope); // [N, H, 1, D]: each token's position its own
    NDArray k = applyRope(qkv[1], rope);
    NDArray v = qkv[2];
    NDArray[] parts = cache.write(i, decodePart(k, n), decodePart(v, n), joinPart(k, n, joins, t),
        joinPart(v, n, joins, t), start);
    NDArray o = null;
    if (n > 0) {
      o = attention(decodePart(q, n), parts[0], parts[1], decodeBias, scale).reshape(n, h * d);
    }
    if (joins > 0) {
      NDArray oj = attention(joinPart(q, n, joins, t), parts[2], parts[3], joinBias, scale)
          .reshape(joins, h, t, d).transpose(0, 2, 1, 3).reshape((long) joins * t, h * d);
      o = o == null ? oj : o.concat(oj, 0);
    }
    x = x.add(linear(o, l + "self_attn.o_proj"));
    return mlpResidual(l, x);
  }

  /** The running rows' part of [N, heads, 1, D]: [n, heads, 1, D] (one new token each); null without them. */
  private static NDArray decodePart(NDArray a, int n) {
    if (n == 0) {
      return null;
    }
    return a.getShape().get(0) == n ? a : a.get(new NDIndex().addSliceDim(0, n)); // a step of decoding alone: all of it
  }

  /** The joining rows' part of [N, heads, 1, D]: [joins, heads, t, D]; null without them. */
  private static NDArray joinPart(NDArray a, int n, int joins, int t) {
    if (joins == 0) {
      return null;
    }
    long heads = a.getShape().get(1);
    long d = a.getShape().get(3);
    NDArray part = n == 0 ? a : a.get(new NDIndex().addSliceDim(n, n + (long) joins * t));
    return part.reshape(joins, t, heads, d).transpose(0, 2, 1, 3);
  }

  /**
   * Additive attention bias [rows, 1, G·t, end − start] of the cache's rows [from, to), whose t new tokens sit
   * at the last t columns: a query sees the row's own tokens up to its column (and itself, so that a padding
   * query stays finite).
   */
  private static NDArray continuousBias(NDManager m, ContinuousCache cache, int from, int to, int t, int start, int g) {
    int end = cache.end();
    int w = end - start;
    int rows = to - from;
    float[] bias = new float[rows * g * t * w];
    for (int r = 0; r < rows; r++) {
      int first = r * g * t * w;
      for (int i = 0; i < t; i++) {
        int column = end - t + i;
        int base = first + i * w;
        for (int j = 0; j < w; j++) {
          int key = start + j;
          if (key > column || (key != column && !cache.valid(from + r, key))) {
            bias[base + j] = MASKED;
          }
        }
      }
      for (int head = 1; head < g; head++) {
        System.arraycopy(bias, first, bias, first + head * t * w, t * w);
      }
    }
    return m.create(bias, new Shape(rows, 1, (long) g * t, w));
  }

  /**
   * Softmax attention of q [B, H, T, D] over k, v [B, KV, S, D] with an additive bias [B or 1, 1, G·T, S] (each
   * query position's mask, once for each of the G query heads of a KV head): [B·KV, G·T, D], the G query heads
   * of a KV head sharing its keys (no repeated K/V). The operands are folded to [B·KV, …] as a batched matrix
   * product folds them. When the scores of the whole batch would be
   * large (a long prefill of many rows) the rows go a few at a time, so that each group's scores stay in
   * the processor's cache across the scale, mask, softmax and product passes; each (row, KV head) is its
   * own product on the same operands either way, so the result is the same bit for bit. Under autograd too:
   * the backward pass keeps every group's scores, but each group's passes still run on data that fits in
   * the cache (see {@link #SCORES_PER_GROUP} for what that is worth).
   */
  private static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray bias, float scale) {
    return attention(q, k, v, bias, scale, SCORES_PER_GROUP);
  }

  /** {@link #attention} with groups of rows whose scores hold at most {@code scoresPerGroup} floats. */
  static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray bias, float scale, long scoresPerGroup) {
    long b = q.getShape().get(0);
    long h = q.getShape().get(1);
    long t = q.getShape().get(2);
    long d = q.getShape().get(3);
    long kvh = k.getShape().get(1);
    long s = k.getShape().get(2);
    NDArray qg = q.reshape(b * kvh, h / kvh * t, d);
    NDArray kt = k.transpose(0, 1, 3, 2).reshape(b * kvh, d, s);
    NDArray vs = v.reshape(b * kvh, s, d);
    long rows = Math.max(1, Math.min(b, scoresPerGroup / (h * t * s)));
    NDArray scaleOperand = Scalars.of(q.getManager(), scale); // kept by autograd: not a Java-memory scalar
    if (rows >= b) {
      return attend(qg, kt, vs, bias, b, scaleOperand);
    }
    // One split per operand rather than a slice per group: under autograd, each slice's backward pass writes
    // its gradient into a zero tensor of the whole operand and the pieces are summed, while a split's backward
    // is one concatenation. The groups and their values are the same.
    int groupCount = (int) ((b + rows - 1) / rows);
    long[] headCuts = new long[groupCount - 1];
    long[] rowCuts = new long[groupCount - 1];
    for (int i = 1; i < groupCount; i++) {
      rowCuts[i - 1] = i * rows;
      headCuts[i - 1] = i * rows * kvh;
    }
    NDList qs = qg.split(headCuts, 0);
    NDList ks = kt.split(headCuts, 0);
    NDList vss = vs.split(headCuts, 0);
    NDList biases = bias.getShape().get(0) == 1 ? null : bias.split(rowCuts, 0);
    NDList groups = new NDList();
    for (int i = 0; i < groupCount; i++) {
      long from = i * rows;
      long to = Math.min(b, from + rows);
      NDArray out;
      try (NDScope scope = new NDScope()) { // frees the group's scores before the next group's
        scope.suppressNotUsedWarning();
        out = attend(qs.get(i), ks.get(i), vss.get(i), biases == null ? bias : biases.get(i), to - from, scaleOperand);
        NDScope.unregister(out);
      }
      NDScope.register(out);
      groups.add(out);
    }
    return NDArrays.concat(groups, 0);
  }

  /**
   * {@link #attention} of {@code b} rows: qg [b·KV, G·T, D], kt [b·KV, D, S], vs [b·KV, S, D], bias
   * [b or 1, 1, G·T, S]. The scores are the fresh [b, KV, G·T, S] result of a batched product, so scaling and
   * masking them in place is also fine under autograd (in place on a reshaped view, autograd would record a copy
   * of the whole scores into their base for the backward pass).
   */
  private static NDArray attend(NDArray qg, NDArray kt, NDArray vs, NDArray bias, long b, NDArray scale) {
    long kvh = qg.getShape().get(0) / b;
    long gt = qg.getShape().get(1);
    long d = qg.getShape().get(2);
    long s = kt.getShape().get(2);
    NDArray scores = qg.reshape(b, kvh, gt, d).matMul(kt.reshape(b, kvh, d, s)).muli(scale).addi(bias);
    NDArray attn = scores.softmax(-1).reshape(b * kvh, gt, s);
    return attn.matMul(vs);
  }

  private NDArray p(String name) {
    NDArray a = parameters.get(name);
    if (a == null) {
      throw new IllegalStateException("no parameter " + name);
    }
    return a;
  }

  private NDArray linear(NDArray x, String prefix) {
    NDArray bias = parameters.get(prefix + ".bias");
    NDList out = bias == null ? Linear.linear(x, p(prefix + ".weight")) : Linear.linear(x, p(prefix + ".weight"), bias);
    return out.singletonOrThrow();
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray inv = x.square().mean(new int[] {-1}, true).addi((float) config.rmsNormEps()).pow(rmsExponent);
    return x.mul(inv).mul(weight);
  }

  /** x·cos + rotate_half(x)·sin, with rotate_half(x) = [−x₂, x₁]; the sign lives in the sin table. */
  private static NDArray applyRope(NDArray x, NDArray[] rope) {
    NDList halves = x.split(2, 3);
    NDArray swapped = halves.get(1).concat(halves.get(0), 3); // [x₂, x₁]
    return x.mul(rope[0]).addi(swapped.muli(rope[1]));
  }

  /** cos and signed sin tables [B, 1, T, D] for the given positions (row-major [B][T]). */
  private NDArray[] rope(NDManager m, long[] positions, int b, int t) {
    int d = config.headDim();
    int half = d / 2;
    float[] cos = new float[b * t * d];
    float[] sin = new float[b * t * d];
    for (int r = 0; r < b * t; r++) {
      float pos = positions[r];
      for (int i = 0; i < half; i++) {
        float f = pos * invFreq[i];
        float cs = (float) Math.cos(f);
        float sn = (float) Math.sin(f);
        cos[r * d + i] = cs;
        cos[r * d + half + i] = cs;
        sin[r * d + i] = -sn;
        sin[r * d + half + i] = sn;
      }
    }
    Shape shape = new Shape(b, 1, t, d);
    return new NDArray[] {m.create(cos, shape), m.create(sin, shape)};
  }

  /**
   * Additive attention bias [B or 1, 1, G·T, S]: 0 where a query may see a key, {@link #MASKED} elsewhere, the
   * T query positions' rows once for each of the G query heads that share a KV head (as {@link #attention}
   * lays out the scores).
   */
  private static NDArray attentionBias(NDManager m, int b, int t, int past, KvCache cache, int g) {
    int s = past + t;
    int rows = cache == null ? 1 : b;
    float[] bias = new float[rows * g * t * s];
    for (int r = 0; r < rows; r++) {
      int first = r * g * t * s;
      for (int i = 0; i < t; i++) {
        int base = first + i * s;
        for (int j = 0; j < s; j++) {
          boolean visible = j <= past + i && (cache == null || cache.valid(r, j) || j == past + i);
          if (!visible) {
            bias[base + j] = MASKED;
          }
        }
      }
      for (int head = 1; head < g; head++) {
        System.arraycopy(bias, first, bias, first + head * t * s, t * s);
      }
    }
    return m.create(bias, new Shape(rows, 1, g * t, s));
  }

  /** All parameter arrays, in {@link #parameters()} order (for optimizers that index by position). */
  public List<NDArray> parameterList() {
    return new ArrayList<>(parameters.values());
  }

  @Override
  public void close() {
    manager.close();
  }
}
