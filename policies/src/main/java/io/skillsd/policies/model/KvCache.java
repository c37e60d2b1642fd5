package io.skillsd.policies.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the tokens seen so far by one batch, plus which cached slots are real
 * tokens (left padding is not). Owns its own manager: closing the cache frees it; the arrays of a step
 * never outlive the step.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys; // per layer: [B, KV, S, D]
  private final NDArray[] values; // per layer: [B, KV, S, D]
  private final int batch;
  private boolean[][] valid; // [B][S]: whether slot s of row b holds a real token
  private int length;

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
   * longest. The row states are copied, not consumed.
   */
  public static KvCache fromRows(NDManager parent, int layers, java.util.List<java.util.Optional<RowState>> rows) {
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
      return cache;
    }
    RowState any = rows.stream().filter(java.util.Optional::isPresent).findFirst().orElseThrow().get();
    for (int layer = 0; layer < layers; layer++) {
      java.util.List<NDArray> ks = new java.util.ArrayList<>();
      java.util.List<NDArray> vs = new java.util.ArrayList<>();
      ai.djl.ndarray.types.Shape shape = any.keys()[layer].getShape(); // [1, KV, len, D]
      for (java.util.Optional<RowState> r : rows) {
        int len = r.map(RowState::length).orElse(0);
        ai.djl.ndarray.types.Shape pad = new ai.djl.ndarray.types.Shape(1, shape.get(1), s0 - len, shape.get(3));
        NDArray zeros = cache.manager.zeros(pad, any.keys()[layer].getDataType(), any.keys()[layer].getDevice());
        if (r.isEmpty()) {
          ks.add(zeros);
          vs.add(zeros);
        } else {
          ks.add(zeros.concat(r.get().keys()[layer], 2));
          vs.add(zeros.concat(r.get().values()[layer], 2));
        }
      }
      cache.keys[layer] = NDArrays.concat(new ai.djl.ndarray.NDList(ks.toArray(new NDArray[0])), 0);
      cache.values[layer] = NDArrays.concat(new ai.djl.ndarray.NDList(vs.toArray(new NDArray[0])), 0);
      for (NDArray a : new NDArray[] {cache.keys[layer], cache.values[layer]}) {
        NDScope.unregister(a);
        a.attach(cache.manager);
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
    NDManager owner = parent.newSubManager();
    java.util.List<int[]> runs = new java.util.ArrayList<>();
    int count = 0;
    for (int j = 0; j < length; ) {
      if (!valid[row][j]) {
        j++;
        continue;
      }
      int start = j;
      while (j < length && valid[row][j]) {
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

  private static NDArray slots(NDArray all, int row, java.util.List<int[]> runs, NDManager owner) {
    java.util.List<NDArray> parts = new java.util.ArrayList<>();
    for (int[] run : runs) {
      parts.add(all.get(new ai.djl.ndarray.index.NDIndex(row + ":" + (row + 1) + ", :, " + run[0] + ":" + run[1] + ", :")));
    }
    NDArray out = parts.size() == 1 ? parts.get(0).duplicate()
        : NDArrays.concat(new ai.djl.ndarray.NDList(parts.toArray(new NDArray[0])), 2);
    NDScope.unregister(out);
    out.attach(owner);
    return out;
  }

  /** Cached positions per row (including padding slots). */
  public int length() {
    return length;
  }

  /** Rows of the batch. */
  public int batch() {
    return batch;
  }

  /** Whether slot {@code s} of row {@code row} holds a real token. */
  public boolean valid(int row, int s) {
    return valid[row][s];
  }

  NDArray keys(int layer) {
    return keys[layer];
  }

  NDArray values(int layer) {
    return values[layer];
  }

  /**
   * Appends one step's keys and values ([B, KV, T, D]) to a layer and returns the full ones; the results are
   * moved out of the current {@link NDScope} into this cache's manager.
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    NDArray nk = keys[layer] == null ? k : keys[layer].concat(k, 2);
    NDArray nv = values[layer] == null ? v : values[layer].concat(v, 2);
    for (NDArray a : new NDArray[] {nk, nv}) {
      NDScope.unregister(a);
      a.attach(manager);
    }
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = nk;
    values[layer] = nv;
    return new NDArray[] {nk, nv};
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
