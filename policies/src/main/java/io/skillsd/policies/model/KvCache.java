package io.skillsd.policies.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keys and values of every layer for the tokens seen so far by one batch, plus which cached slots are real
 * tokens (left padding is not). Owns its own manager: closing the cache frees it; the arrays of a step
 * never outlive the step.
 *
 * <p>Each layer's keys and values live in a buffer with room for more positions than are cached
 * ({@link #capacity}); a step writes its new slots in place and attention reads a view of the first
 * {@link #length} slots. Growing by concatenation instead would copy the whole cache of every row at every
 * decode step, which on a small model costs more than the step's own arithmetic once a batch holds several
 * long dialogues. A cache that runs out of room doubles it (one copy, amortized).
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys; // per layer: [B, KV, capacity, D]; slots past length are unused
  private final NDArray[] values; // per layer: [B, KV, capacity, D]
  private int batch;
  private boolean[][] valid; // [B][S]: whether slot s of row b holds a real token
  private int length;
  private int capacity;

  KvCache(NDManager parent, int layers, int batch) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.batch = batch;
    this.valid = new boolean[batch][0];
  }

  /**
   * The cached keys and values of one dialogue's real tokens, kept between turns so the next turn only
   * computes its new tokens. Owns its arrays; close it when the dialogue ends or is replaced.
   *
   * @param tokens the token ids the cache covers, in order (the dialogue's first {@code tokens.length} tokens)
   */
  public record RowState(NDManager manager, NDArray[] keys, NDArray[] values, int[] tokens) implements AutoCloseable {
    public int length() {
      return tokens.length;
    }

    /** Whether this state covers a strict prefix of {@code prompt} (then only the rest needs computing). */
    public boolean isStrictPrefixOf(int[] prompt) {
      if (tokens.length == 0 || tokens.length >= prompt.length) {
        return false;
      }
      for (int i = 0; i < tokens.length; i++) {
        if (tokens[i] != prompt[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /**
   * A batch cache whose rows start from earlier {@link RowState}s (absent: an empty row), left-padded to the
   * longest, with room for {@code capacity} positions per row before it has to grow (at least the longest
   * row). The row states are copied, not consumed.
   */
  public static KvCache fromRows(NDManager parent, int layers, List<Optional<RowState>> rows, int capacity) {
    int batch = rows.size();
    KvCache cache = new KvCache(parent, layers, batch);
    int s0 = rows.stream().mapToInt(r -> r.map(RowState::length).orElse(0)).max().orElse(0);
    boolean[][] valid = new boolean[batch][s0];
    for (int b = 0; b < batch; b++) {
      int len = rows.get(b).map(RowState::length).orElse(0);
      for (int j = s0 - len; j < s0; j++) {
        valid[b][j] = true;
      }
    }
    cache.valid = valid;
    cache.length = s0;
    if (s0 == 0) {
      cache.capacity = capacity;
      return cache;
    }
    cache.capacity = Math.max(capacity, s0);
    RowState any = rows.stream().filter(Optional::isPresent).findFirst().orElseThrow().get();
    for (int layer = 0; layer < layers; layer++) {
      Shape shape = any.keys()[layer].getShape(); // [1, KV, len, D]
      cache.keys[layer] = cache.buffer(shape.get(1), shape.get(3), any.keys()[layer]);
      cache.values[layer] = cache.buffer(shape.get(1), shape.get(3), any.values()[layer]);
      for (int b = 0; b < batch; b++) {
        if (rows.get(b).isPresent()) {
          RowState r = rows.get(b).get();
          NDIndex slots = new NDIndex().addSliceDim(b, b + 1).addAllDim().addSliceDim(s0 - r.length(), s0);
          cache.keys[layer].set(slots, r.keys()[layer]);
          cache.values[layer].set(slots, r.values()[layer]);
        }
      }
    }
    return cache;
  }

  /**
   * Row {@code row}'s real slots, copied into a new {@link RowState} under {@code parent} (padding slots
   * are left out).
   *
   * @param tokens the token ids of those slots, in order; their count must equal the row's real slots
   */
  public RowState rowState(NDManager parent, int row, int[] tokens) {
    return rowState(parent, keys, values, valid[row], length, row, tokens);
  }

  /**
   * Row {@code row}'s slots among the first {@code length} that {@code valid} marks, copied from the layers'
   * buffers into a new {@link RowState} under {@code parent}.
   */
  static RowState rowState(NDManager parent, NDArray[] keys, NDArray[] values, boolean[] valid, int length, int row,
      int[] tokens) {
    NDManager owner = parent.newSubManager();
    List<int[]> runs = new ArrayList<>();
    int count = 0;
    for (int j = 0; j < length; ) {
      if (!valid[j]) {
        j++;
        continue;
      }
      int start = j;
      while (j < length && valid[j]) {
        j++;
      }
      runs.add(new int[] {start, j});
      count += j - start;
    }
    if (count != tokens.length) {
      owner.close();
      throw new IllegalStateException("row " + row + " holds " + count + " real slots but " + tokens.length + " tokens were given");
    }
    NDArray[] ks = new NDArray[keys.length];
    NDArray[] vs = new NDArray[values.length];
    for (int layer = 0; layer < keys.length; layer++) {
      ks[layer] = slots(keys[layer], row, runs, owner);
      vs[layer] = slots(values[layer], row, runs, owner);
    }
    return new RowState(owner, ks, vs, tokens.clone());
  }

  private static NDArray slots(NDArray all, int row, List<int[]> runs, NDManager owner) {
    List<NDArray> parts = new ArrayList<>();
    for (int[] run : runs) {
      parts.add(all.get(new NDIndex(row + ":" + (row + 1) + ", :, " + run[0] + ":" + run[1] + ", :")));
    }
    NDArray out = parts.size() == 1 ? parts.get(0).duplicate()
        : NDArrays.concat(new ai.djl.ndarray.NDList(parts.toArray(new NDArray[0])), 2);
    NDScope.unregister(out);
    out.attach(owner);
    return out;
  }

  /**
   * Keeps only the rows {@code rows} (indices into the current batch, increasing), dropping the others: a
   * generation whose rows have stopped goes on with a smaller batch instead of feeding padding through the
   * stopped rows. The kept rows move up in place, within the same buffers (only those behind a dropped row
   * are copied), and the batch becomes a view of the buffers' first rows, laid out as before: a fresh copy
   * of the kept rows would allocate (and fault in) the whole cache again at every stop, which for long
   * dialogues costs more than the decode steps themselves. Their content is unchanged.
   */
  public void retainRows(int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= batch || (i > 0 && rows[i] <= rows[i - 1])) {
        throw new IllegalArgumentException("rows to keep must be increasing indices below " + batch + ": " + java.util.Arrays.toString(rows));
      }
    }
    if (rows.length == batch) {
      return;
    }
    boolean[][] kept = new boolean[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      kept[i] = valid[rows[i]];
    }
    for (int layer = 0; layer < keys.length; layer++) {
      keys[layer] = kept(keys[layer], rows);
      values[layer] = kept(values[layer], rows);
    }
    valid = kept;
    batch = rows.length;
  }

  /**
   * {@code all}'s rows {@code rows} moved up to its first {@code rows.length} rows, in place, and a view of
   * those, owned by this cache (the view keeps the buffer alive); {@code all} itself is released.
   */
  private NDArray kept(NDArray all, int[] rows) {
    if (all == null) {
      return null;
    }
    try (NDScope scope = new NDScope()) { // the row views
      scope.suppressNotUsedWarning();
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] != i) { // rows[i] > i: its source is behind every row written so far
          all.set(new NDIndex().addIndices(i), all.get(new NDIndex().addIndices(rows[i])));
        }
      }
    }
    NDArray out = all.get(new NDIndex().addSliceDim(0, rows.length));
    NDScope.unregister(out);
    out.attach(manager);
    all.close();
    return out;
  }

  /** Cached positions per row (including padding slots). */
  public int length() {
    return length;
  }

  /** Positions per row the buffers hold before they have to grow. */
  public int capacity() {
    return capacity;
  }

  /** Rows of the batch. */
  public int batch() {
    return batch;
  }

  /** Whether slot {@code s} of row {@code row} holds a real token. */
  public boolean valid(int row, int s) {
    return valid[row][s];
  }

  /**
   * Writes one step's keys and values ([B, KV, T, D]) of a layer into the T slots {@link #extend} has just
   * counted, and returns views of the full ones ([B, KV, S, D]); the views belong to the current
   * {@link NDScope}, the buffers to this cache.
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    int t = (int) k.getShape().get(2);
    int start = length - t;
    if (capacity < length) {
      capacity = Math.max(length, 2 * capacity);
    }
    if (keys[layer] == null || keys[layer].getShape().get(2) < capacity) {
      keys[layer] = grown(keys[layer], k, start);
      values[layer] = grown(values[layer], v, start);
    }
    NDIndex fresh = new NDIndex().addAllDim(2).addSliceDim(start, length);
    keys[layer].set(fresh, k);
    values[layer].set(fresh, v);
    if (start == 0) {
      return new NDArray[] {k, v}; // nothing cached before this step
    }
    NDIndex used = new NDIndex().addAllDim(2).addSliceDim(0, length);
    return new NDArray[] {keys[layer].get(used), values[layer].get(used)};
  }

  /** A buffer of the current capacity holding the first {@code start} slots of {@code old}, which is closed. */
  private NDArray grown(NDArray old, NDArray like, int start) {
    Shape shape = like.getShape();
    NDArray buffer = buffer(shape.get(1), shape.get(3), like);
    if (old != null) {
      if (start > 0) {
        NDIndex kept = new NDIndex().addAllDim(2).addSliceDim(0, start);
        buffer.set(kept, old.get(kept));
      }
      old.close();
    }
    return buffer;
  }

  /** Zeros [B, heads, capacity, D] owned by this cache, of {@code like}'s type and device. */
  private NDArray buffer(long heads, long headDim, NDArray like) {
    NDArray buffer = manager.zeros(new Shape(batch, heads, capacity, headDim), like.getDataType(), like.getDevice());
    NDScope.unregister(buffer);
    return buffer;
  }

  /** Records which of the {@code t} new slots per row are real; called once per forward step. */
  void extend(boolean[][] newValid) {
    int t = newValid[0].length;
    boolean[][] next = new boolean[batch][length + t];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(valid[b], 0, next[b], 0, length);
      System.arraycopy(newValid[b], 0, next[b], length, t);
    }
    valid = next;
    length += t;
  }

  @Override
  public void close() {
    manager.close();
  }
}
