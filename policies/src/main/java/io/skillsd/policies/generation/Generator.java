package io.skillsd.policies.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.skillsd.policies.generation.Generation.StopReason;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Batched autoregressive sampling with a KV cache.
 *
 * <p>Prompts of different lengths are left-padded into one prefill; padding slots are masked out of
 * attention and each row's positions start at 0 at its first real token, so a row's tokens do not depend on
 * the rest of the batch beyond floating-point rounding. Each decode step feeds one token per running row; a row
 * that stops leaves the batch (its cache rows are dropped), so the steps after it cost what the rows still
 * running cost. Sampling happens in Java from the
 * last-position logits, with one seeded random stream per row.
 */
public final class Generator {
  private final CausalLm model;

  public Generator(CausalLm model) {
    this.model = model;
  }

  /** Generates for every request; results are in request order. */
  public List<Generation> generate(List<GenerationRequest> requests) {
    List<Optional<KvCache.RowState>> none = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      none.add(Optional.empty());
    }
    return generate(requests, none, false).generations();
  }

  /**
   * What a session-aware generation returns: the generations, and per row the cache of every token the
   * model has seen (the prompt and the fed generated tokens) for the row's next turn — empty unless asked.
   */
  public record SessionResult(List<Generation> generations, List<Optional<KvCache.RowState>> states) {}

  /**
   * Generates for every request, starting each row from {@code prior}'s cached keys and values where they
   * cover a strict prefix of its prompt, so a multi-turn dialogue computes only each turn's new tokens.
   * The result is the same as without the caches (up to float rounding). The priors are not consumed.
   *
   * @param keepStates whether to return each row's cache for its next turn (the caller owns and closes them)
   */
  public SessionResult generate(List<GenerationRequest> requests, List<Optional<KvCache.RowState>> prior,
      boolean keepStates) {
    int b = requests.size();
    if (b == 0) {
      return new SessionResult(List.of(), List.of());
    }
    if (prior.size() != b) {
      throw new IllegalArgumentException(prior.size() + " prior caches for " + b + " requests");
    }
    Row[] rows = new Row[b];
    List<Optional<KvCache.RowState>> usable = new ArrayList<>(b);
    int p = 0; // the longest uncached prompt suffix
    for (int i = 0; i < b; i++) {
      rows[i] = new Row(requests.get(i), model.config().maxPositionEmbeddings());
      usable.add(rows[i].startFrom(prior.get(i)));
      p = Math.max(p, rows[i].uncached());
    }
    int steps = requests.stream().mapToInt(r -> r.params().maxNewTokens()).max().orElseThrow();

    List<Optional<KvCache.RowState>> states = new ArrayList<>(b);
    try (NDManager m = model.manager().newSubManager();
        KvCache cache = KvCache.fromRows(model.manager(), model.config().numLayers(), usable,
            capacity(usable, p, steps))) {
      long[] ids = new long[b * p];
      long[][] positions = new long[b][p];
      boolean[][] valid = new boolean[b][p];
      for (int i = 0; i < b; i++) {
        rows[i].leftPadded(p, ids, i * p, positions[i], valid[i]);
      }
      Optional<KvCache.RowState>[] kept = newStates(b);
      try {
        decode(m, rows, step(m, ids, p, positions, valid, cache), cache, keepStates, kept, steps);
      } catch (RuntimeException e) {
        for (Optional<KvCache.RowState> st : kept) {
          st.ifPresent(KvCache.RowState::close);
        }
        throw e;
      }
      for (int i = 0; i < b; i++) {
        states.add(keepStates ? kept[i] : Optional.empty());
      }
    }
    List<Generation> out = new ArrayList<>(b);
    for (Row row : rows) {
      out.add(row.result());
    }
    return new SessionResult(out, states);
  }

  /**
   * Samples and feeds until every row has stopped, starting from the prefill's last logits; a stopping row's
   * cache goes into {@code kept} (when asked) and the row leaves the batch.
   */
  private void decode(NDManager m, Row[] rows, float[] last, KvCache cache, boolean keepStates,
      Optional<KvCache.RowState>[] kept, int steps) {
    int vocab = model.config().vocabSize();
    int context = model.config().maxPositionEmbeddings();
    int b = rows.length;
    int[] live = new int[b]; // batch slot -> row
    for (int i = 0; i < b; i++) {
      live[i] = i;
    }
    for (int s = 0; s <= steps; s++) { // every row stops within steps samples; the bound only guards that
      // Sample every live row from its last logits; a row that stops leaves the batch.
      int[] still = new int[live.length];
      int n = 0;
      for (int slot = 0; slot < live.length; slot++) {
        Row row = rows[live[slot]];
        row.stop = row.stopAfter(row.sample(last, slot * vocab, vocab), context);
        if (row.stop == null) {
          still[n++] = slot;
          continue;
        }
        if (keepStates) {
          kept[live[slot]] = Optional.of(cache.rowState(model.manager(), slot, row.seen()));
        }
      }
      if (n == 0) {
        break;
      }
      if (n < live.length) {
        // Stopped rows would otherwise feed padding through every remaining step.
        int[] slots = Arrays.copyOf(still, n);
        cache.retainRows(slots);
        int[] next = new int[n];
        for (int k = 0; k < n; k++) {
          next[k] = live[slots[k]];
        }
        live = next;
      }
      long[] tokens = new long[n];
      long[][] pos = new long[n][1];
      boolean[][] val = new boolean[n][1];
      for (int slot = 0; slot < n; slot++) {
        Row row = rows[live[slot]];
        pos[slot][0] = row.lastPosition();
        tokens[slot] = row.feedLast();
        val[slot][0] = true;
      }
      last = step(m, tokens, 1, pos, val, cache);
    }
  }

  /**
   * The keys and values of {@code tokens} alone (one row, no sampling): a prefix for {@link PrefixCache}. The
   * caller owns and closes the state.
   */
  public KvCache.RowState prefill(int[] tokens) {
    int n = tokens.length;
    if (n == 0 || n >= model.config().maxPositionEmbeddings()) {
      throw new IllegalArgumentException("a prefix of " + n + " tokens: must be 1 to " + (model.config().maxPositionEmbeddings() - 1));
    }
    try (NDManager m = model.manager().newSubManager();
        KvCache cache = KvCache.fromRows(model.manager(), model.config().numLayers(), List.of(Optional.empty()), n)) {
      long[] ids = new long[n];
      long[][] positions = new long[1][n];
      boolean[][] valid = new boolean[1][n];
      for (int t = 0; t < n; t++) {
        ids[t] = tokens[t];
        positions[0][t] = t;
        valid[0][t] = true;
      }
      step(m, ids, n, positions, valid, cache);
      return cache.rowState(model.manager(), 0, tokens.clone());
    }
  }

  @SuppressWarnings("unchecked")
  private static Optional<KvCache.RowState>[] newStates(int b) {
    Optional<KvCache.RowState>[] out = new Optional[b];
    Arrays.fill(out, Optional.empty());
    return out;
  }

  /** Positions a batch cache needs: the longest cached prefix, the prefill, and every decode step. */
  private static int capacity(List<Optional<KvCache.RowState>> usable, int prefill, int steps) {
    int cached = usable.stream().mapToInt(r -> r.map(KvCache.RowState::length).orElse(0)).max().orElse(0);
    return cached + prefill + steps;
  }

  /** One forward step; returns the last-position logits [B * V] and frees everything else of the step. */
  private float[] step(NDManager m, long[] ids, int t, long[][] positions, boolean[][] valid, KvCache cache) {
    return StepTimings.timed(t > 1 ? StepTimings.Kind.PREFILL : StepTimings.Kind.DECODE, ids.length / t, () -> {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray x = m.create(ids, new Shape(ids.length / t, t));
        return model.step(x, positions, valid, cache, true).toFloatArray();
      }
    });
  }

  /** Sampling state of one row. */
  static final class Row {
    final GenerationRequest request;
    final SplittableRandom rng;
    final List<Integer> tokens = new ArrayList<>();
    final List<Float> logProbs = new ArrayList<>();
    StopReason stop;
    int cached; // prompt tokens covered by a prior cache
    int fed; // generated tokens fed back into the model

    /** A row for {@code request} in a model of {@code context} positions, which its prompt must leave room in. */
    Row(GenerationRequest request, int context) {
      if (request.length() >= context) {
        throw new IllegalArgumentException("prompt of " + request.length() + " tokens exceeds the context of " + context);
      }
      this.request = request;
      this.rng = new SplittableRandom(request.params().seed());
    }

    /** {@code prior} where it covers a strict prefix of the prompt (then only the rest is computed), else none. */
    Optional<KvCache.RowState> startFrom(Optional<KvCache.RowState> prior) {
      Optional<KvCache.RowState> usable = prior.filter(st -> st.isStrictPrefixOf(request.prompt()));
      cached = usable.map(KvCache.RowState::length).orElse(0);
      return usable;
    }

    /** Prompt tokens no prior covers: what the row's prefill computes. */
    int uncached() {
      return request.length() - cached;
    }

    /**
     * The uncached prompt tokens left-padded to {@code width} slots: ids from {@code ids[offset]} (0 for padding),
     * their positions, and whether each slot is a real token.
     */
    void leftPadded(int width, long[] ids, int offset, long[] positions, boolean[] valid) {
      int pad = width - uncached();
      for (int t = 0; t < width; t++) {
        valid[t] = t >= pad;
        positions[t] = cached + Math.max(0, t - pad);
        ids[offset + t] = valid[t] ? request.token(cached + t - pad) : 0;
      }
    }

    /** The position of the last sampled token. */
    long lastPosition() {
      return request.length() + tokens.size() - 1L;
    }

    /** The last sampled token, counted as fed to the model (a decode step's input for this row). */
    long feedLast() {
      fed++;
      return tokens.get(tokens.size() - 1);
    }

    SamplingParams params() {
      return request.params();
    }

    /** Why the row stops after sampling {@code token} in a model of {@code context} positions; null: it goes on. */
    StopReason stopAfter(int token, int context) {
      if (params().stopTokens().contains(token)) {
        return StopReason.STOP_TOKEN;
      } else if (tokens.size() >= params().maxNewTokens()) {
        return StopReason.MAX_TOKENS;
      } else if (request.length() + tokens.size() >= context) {
        return StopReason.CONTEXT_LENGTH;
      }
      return null;
    }

    /** Every token the model has seen for this row: the prompt, then the generated tokens fed back. */
    int[] seen() {
      int[] out = Arrays.copyOf(request.prompt(), request.length() + fed);
      for (int k = 0; k < fed; k++) {
        out[request.length() + k] = tokens.get(k);
      }
      return out;
    }

    int sample(float[] logits, int offset, int vocab) {
      float temp = params().scoringTemperature();
      double[] logp = new double[vocab];
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < vocab; v++) {
        logp[v] = logits[offset + v] / (double) temp;
        max = Math.max(max, logp[v]);
      }
      double sum = 0;
      for (int v = 0; v < vocab; v++) {
        sum += Math.exp(logp[v] - max);
      }
      double logZ = max + Math.log(sum);
      for (int v = 0; v < vocab; v++) {
        logp[v] -= logZ;
      }
      int token = params().temperature() == 0f ? argmax(logp) : draw(logp);
      tokens.add(token);
      logProbs.add((float) logp[token]);
      return token;
    }

    private int draw(double[] logp) {
      int vocab = logp.length;
      double u = rng.nextDouble();
      if (params().topP() >= 1f) {
        double c = 0;
        for (int v = 0; v < vocab; v++) {
          c += Math.exp(logp[v]);
          if (u < c) {
            return v;
          }
        }
        return argmax(logp);
      }
      Integer[] order = new Integer[vocab];
      for (int v = 0; v < vocab; v++) {
        order[v] = v;
      }
      Arrays.sort(order, (a, c) -> Double.compare(logp[c], logp[a]));
      double mass = 0;
      int keep = 0;
      while (keep < vocab && mass < params().topP()) {
        mass += Math.exp(logp[order[keep]]);
        keep++;
      }
      double target = u * mass;
      double c = 0;
      for (int k = 0; k < keep; k++) {
        c += Math.exp(logp[order[k]]);
        if (target < c) {
          return order[k];
        }
      }
      return order[keep - 1];
    }

    private static int argmax(double[] logp) {
      int best = 0;
      for (int v = 1; v < logp.length; v++) {
        if (logp[v] > logp[best]) {
          best = v;
        }
      }
      return best;
    }

    Generation result() {
      int[] t = tokens.stream().mapToInt(Integer::intValue).toArray();
      float[] l = new float[logProbs.size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = logProbs.get(i);
      }
      return new Generation(t, l, stop == null ? StopReason.MAX_TOKENS : stop);
    }
  }
}
