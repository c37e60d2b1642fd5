package io.skillsd.policies.generation;

import ai.djl.ndarray.NDManager;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.ContinuousCache;
import io.skillsd.policies.model.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Continuous batching: requests join a running generation between its forward steps, and a row leaves as soon
 * as its answer ends, so no row waits for the longest answer of a batch and a dialogue's next turn does not
 * wait for a batch of its own. Each {@link #step} is one forward pass that decodes one token for every running
 * row and prefills every row that joined since the last step (the linear layers over all their new tokens at
 * once: a joining row costs the step its prefill's arithmetic, not a forward pass of its own).
 *
 * <p>A row samples exactly as {@link Generator} would sample it alone: the same seeded stream, the same stop
 * rules, and logits equal up to float rounding. Which rows share a step depends only on the order of
 * {@link #join} and {@link #step} calls, so a caller that fixes that order reproduces its runs.
 *
 * @param <K> the caller's key of a request, returned with its result
 */
public final class ContinuousBatch<K> implements AutoCloseable {
  private final CausalLm model;
  private final ContinuousCache cache;
  private final boolean keepStates;
  private final List<Entry<K>> running = new ArrayList<>(); // in the cache's row order
  private final List<Entry<K>> joining = new ArrayList<>();

  /** A request whose answer has ended: its generation and, when kept, the cache of its dialogue's tokens. */
  public record Finished<K>(K key, Generation generation, Optional<KvCache.RowState> state) {}

  private record Entry<K>(K key, Generator.Row row, Optional<KvCache.RowState> prior) {}

  /**
   * @param keepStates return each finished row's cache for its dialogue's next turn (the caller owns and closes
   *     it)
   */
  public ContinuousBatch(CausalLm model, boolean keepStates) {
    this.model = model;
    this.cache = model.newContinuousCache();
    this.keepStates = keepStates;
  }

  /**
   * Queues {@code request} to join at the next step, starting from {@code prior}'s keys and values where they
   * cover a strict prefix of its prompt. The prior is copied at the next step, not consumed: the caller keeps
   * it open until then.
   */
  public void join(K key, GenerationRequest request, Optional<KvCache.RowState> prior) {
    Generator.Row row = new Generator.Row(request, model.config().maxPositionEmbeddings());
    joining.add(new Entry<>(key, row, row.startFrom(prior)));
  }

  /** The batch's keys and values (for tests of what it holds). */
  ContinuousCache cache() {
    return cache;
  }

  /** Rows generating now. */
  public int running() {
    return running.size();
  }

  /** Requests that join at the next step. */
  public int joining() {
    return joining.size();
  }

  /** Whether there is nothing to step. */
  public boolean idle() {
    return running.isEmpty() && joining.isEmpty();
  }

  /**
   * One forward pass: the running rows feed their last token, the joining rows their prompts' uncached tokens;
   * then every row samples its next token. Returns the rows whose answers ended, in row order (they leave the
   * batch).
   */
  public List<Finished<K>> step() {
    if (idle()) {
      throw new IllegalStateException("nothing to step: no running or joining rows");
    }
    int vocab = model.config().vocabSize();
    int context = model.config().maxPositionEmbeddings();
    int n = running.size();
    long[] decodeIds = new long[n];
    long[] decodePositions = new long[n];
    for (int r = 0; r < n; r++) {
      Generator.Row row = running.get(r).row();
      decodePositions[r] = row.lastPosition();
      decodeIds[r] = row.feedLast();
    }
    int joins = joining.size();
    int block = joining.stream().mapToInt(e -> e.row().uncached()).max().orElse(0);
    long[][] joinIds = new long[joins][block];
    long[][] joinPositions = new long[joins][block];
    boolean[][] joinValid = new boolean[joins][block];
    List<Optional<KvCache.RowState>> priors = new ArrayList<>(joins);
    for (int j = 0; j < joins; j++) {
      joining.get(j).row().leftPadded(block, joinIds[j], 0, joinPositions[j], joinValid[j]);
      priors.add(joining.get(j).prior());
    }
    float[] logits = StepTimings.timed(joins > 0 ? StepTimings.Kind.PREFILL : StepTimings.Kind.DECODE, n + joins, () -> {
      try (NDManager m = model.manager().newSubManager()) {
        cache.admit(priors, block);
        return model.stepContinuous(m, decodeIds, decodePositions, joinIds, joinPositions, joinValid, cache)
            .toFloatArray();
      }
    });
    running.addAll(joining);
    joining.clear();
    List<Finished<K>> finished = new ArrayList<>();
    int[] leaving = new int[running.size()];
    int k = 0;
    for (int r = 0; r < running.size(); r++) {
      Generator.Row row = running.get(r).row();
      row.stop = row.stopAfter(row.sample(logits, r * vocab, vocab), context);
      if (row.stop != null) {
        leaving[k++] = r;
        Optional<KvCache.RowState> state = keepStates
            ? Optional.of(cache.rowState(model.manager(), r, row.seen())) : Optional.empty();
        finished.add(new Finished<>(running.get(r).key(), row.result(), state));
      }
    }
    if (k > 0) {
      int[] order = cache.dropRows(java.util.Arrays.copyOf(leaving, k));
      List<Entry<K>> next = new ArrayList<>(order.length);
      for (int old : order) {
        next.add(running.get(old));
      }
      running.clear();
      running.addAll(next);
    }
    return finished;
  }

  /** Frees the batch's keys and values; rows still running are dropped. */
  @Override
  public void close() {
    cache.close();
  }
}
