package io.skillsd.policies.model;

import ai.djl.ndarray.NDArray;
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
