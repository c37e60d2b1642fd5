package io.skillsd.policies.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Keys and values of a continuous batch, whose rows join and leave between forward steps: a row whose answer
 * has ended leaves, and a dialogue's next turn joins the running rows instead of waiting for a batch of its
 * own. A step feeds every running row one token (decoding) and every joining row its new prompt tokens (a
 * prefill), in one forward pass ({@link CausalLm#stepContinuous}).
 *
 * <p>Layout: per layer one buffer [row capacity, KV, column capacity, D]. Every row's tokens end at the same
 * column, {@link #end}, so a step writes one column for the running rows and one block of columns for the
 * joining rows, each with a single slice; a joining row's cached prefix goes just before its block. The slots
 * of a row that hold none of its tokens (left padding, an earlier occupant's) are masked out of attention, and
 * attention reads only from the first column a live row uses. When the buffers run out of rows or columns, or
 * a joining prefix does not fit before the block, the used columns move to new buffers (one copy, amortized:
 * the new buffers have room for half again the columns then needed, so a batch of dialogues that fill the
 * model's context holds at most about 1.5 times their keys and values).
 */
public final class ContinuousCache implements AutoCloseable {
  private final NDManager manager;
  private final int kvHeads;
  private final int headDim;
  private final NDArray[] keys; // per layer [rowCapacity, KV, capacity, D]
  private final NDArray[] values;
  private int rowCapacity;
  private int capacity;
  private int rows;
  private int end; // every row's tokens lie before this column
  private boolean[][] valid = new boolean[0][]; // [row][column]: whether the slot holds one of the row's tokens
  private int joining; // rows admitted for the coming step (the last ones)
  private int block; // the coming step's columns for the joining rows
  private int nextEnd; // end after the coming step

  ContinuousCache(NDManager parent, ModelConfig config) {
    this.manager = parent.newSubManager();
    this.kvHeads = config.numKvHeads();
    this.headDim = config.headDim();
    this.keys = new NDArray[config.numLayers()];
    this.values = new NDArray[config.numLayers()];
  }

  /**
   * Arrays this cache holds: its buffers, two per layer while it has rows, none once every row has left (a
   * step's slices are freed with the step).
   */
  public int heldArrays() {
    return manager.getManagedArrays().size();
  }

  /** Rows in the batch: the running ones, then those admitted for the coming step. */
  public int rows() {
    return rows;
  }

  /** Rows that run the coming step as decoding rows (one token each). */
  int decoding() {
    return rows - joining;
  }

  /** Columns per joining row in the coming step. */
  int block() {
    return block;
  }

  int end() {
    return end;
  }

  /** The first column a row uses: attention reads from here to {@link #end}. */
  int start() {
    int s = end;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < s; c++) {
        if (valid[r][c]) {
          s = c;
          break;
        }
      }
    }
    return s;
  }

  boolean valid(int row, int column) {
    return valid[row][column];
  }

  /**
   * Adds the rows of the coming step's joining dialogues, after the running ones: each starts from its prior's
   * keys and values (copied, not consumed; absent: nothing cached) and takes {@code newTokens} columns in the
   * step (left-padded by the caller where its own new tokens are fewer).
   */
  public void admit(List<Optional<KvCache.RowState>> priors, int newTokens) {
    if (joining != 0) {
      throw new IllegalStateException(joining + " rows were already admitted for this step");
    }
    if (priors.isEmpty()) {
      return;
    }
    if (newTokens < 1) {
      throw new IllegalArgumentException("a joining row needs at least one new token, got " + newTokens);
    }
    int longest = priors.stream().mapToInt(p -> p.map(KvCache.RowState::length).orElse(0)).max().orElse(0);
    prepare(priors.size(), newTokens + longest);
    int blockStart = nextEnd - newTokens;
    for (int j = 0; j < priors.size(); j++) {
      int row = rows + j;
      valid[row] = new boolean[capacity];
      if (priors.get(j).isEmpty()) {
        continue;
      }
      KvCache.RowState p = priors.get(j).get();
      int at = blockStart - p.length();
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDIndex slots = new NDIndex().addSliceDim(row, row + 1).addAllDim().addSliceDim(at, blockStart);
        for (int layer = 0; layer < keys.length; layer++) {
          keys[layer].set(slots, p.keys()[layer]);
          values[layer].set(slots, p.values()[layer]);
        }
      }
      Arrays.fill(valid[row], at, blockStart, true);
    }
    joining = priors.size();
    block = newTokens;
    rows += joining;
  }

  /**
   * Makes room for the coming step: {@code newRows} more rows, and at least {@code before} columns before the
   * step's end (a joining row's prefix and block). Sets {@link #nextEnd}.
   */
  private void prepare(int newRows, int before) {
    if (rows == 0) {
      end = 0; // nothing live: the next rows start at the first column
    }
    nextEnd = rows == 0 ? before : end + 1;
    if (keys[0] != null && rows + newRows <= rowCapacity && nextEnd <= capacity && nextEnd >= before) {
      return;
    }
    int from = start();
    int used = end - from;
    int newEnd = rows == 0 ? 0 : Math.max(used, before - 1);
    int stepEnd = rows == 0 ? before : newEnd + 1;
    int newCapacity = Math.max(capacity, stepEnd + Math.max(64, stepEnd / 2));
    int newRowCapacity = rows + newRows <= rowCapacity ? rowCapacity : Math.max(rows + newRows, 2 * rowCapacity);
    int shift = newEnd - end;
    for (int layer = 0; layer < keys.length; layer++) {
      keys[layer] = moved(keys[layer], from, shift, newRowCapacity, newCapacity);
      values[layer] = moved(values[layer], from, shift, newRowCapacity, newCapacity);
    }
    boolean[][] next = new boolean[newRowCapacity][];
    for (int r = 0; r < rows; r++) {
      next[r] = new boolean[newCapacity];
      System.arraycopy(valid[r], from, next[r], from + shift, used);
    }
    valid = next;
    end = newEnd;
    nextEnd = stepEnd;
    rowCapacity = newRowCapacity;
    capacity = newCapacity;
  }

  /** New zeroed buffers of the given size holding the rows' columns [from, end) moved by {@code shift}. */
  private NDArray moved(NDArray old, int from, int shift, int newRows, int newColumns) {
    NDArray fresh = manager.zeros(new Shape(newRows, kvHeads, newColumns, headDim), DataType.FLOAT32, manager.getDevice());
    NDScope.unregister(fresh);
    if (old != null) {
      if (rows > 0 && end > from) {
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          fresh.set(new NDIndex().addSliceDim(0, rows).addAllDim().addSliceDim(from + shift, end + shift),
              old.get(new NDIndex().addSliceDim(0, rows).addAllDim().addSliceDim(from, end)));
        }
      }
      old.close();
    }
    return fresh;
  }

  /**
   * Starts the coming step: records its new slots (one per running row; {@code joinValid[j][i]} for the
   * joining rows' block, false for their left padding) and advances {@link #end}. Called once per forward.
   */
  void advance(boolean[][] joinValid) {
    if (joinValid.length != joining) {
      throw new IllegalArgumentException(joinValid.length + " joining rows given, " + joining + " admitted");
    }
    if (joining == 0) {
      if (rows == 0) {
        throw new IllegalStateException("a step needs at least one row");
      }
      prepare(0, 0);
    }
    int decoding = rows - joining;
    for (int r = 0; r < decoding; r++) {
      valid[r][nextEnd - 1] = true;
    }
    for (int j = 0; j < joining; j++) {
      if (joinValid[j].length != block) {
        throw new IllegalArgumentException("joining row " + j + " has " + joinValid[j].length + " slots, the block " + block);
      }
      System.arraycopy(joinValid[j], 0, valid[decoding + j], nextEnd - block, block);
    }
    end = nextEnd;
  }

  /** Ends the step: the joining rows are running rows from now on. */
  void finishStep() {
    joining = 0;
    block = 0;
  }

  /**
   * Writes layer {@code layer}'s new keys and values of the step — the running rows' [n, KV, 1, D], the joining
   * rows' [m, KV, block, D] (either may be null when there are no such rows) — and returns views of each
   * part's columns [start, end): {running keys, running values, joining keys, joining values}.
   */
  NDArray[] write(int layer, NDArray kd, NDArray vd, NDArray kj, NDArray vj, int start) {
    int decoding = rows - joining;
    if (kd != null) {
      NDIndex column = new NDIndex().addSliceDim(0, decoding).addAllDim().addSliceDim(end - 1, end);
      keys[layer].set(column, kd);
      values[layer].set(column, vd);
    }
    if (kj != null) {
      NDIndex columns = new NDIndex().addSliceDim(decoding, rows).addAllDim().addSliceDim(end - block, end);
      keys[layer].set(columns, kj);
      values[layer].set(columns, vj);
    }
    NDArray[] out = new NDArray[4];
    if (kd != null) {
      NDIndex used = new NDIndex().addSliceDim(0, decoding).addAllDim().addSliceDim(start, end);
      out[0] = keys[layer].get(used);
      out[1] = values[layer].get(used);
    }
    if (kj != null) {
      NDIndex used = new NDIndex().addSliceDim(decoding, rows).addAllDim().addSliceDim(start, end);
      out[2] = keys[layer].get(used);
      out[3] = values[layer].get(used);
    }
    return out;
  }

  /**
   * Drops the rows {@code leaving} (increasing indices into the batch): the rows whose answers ended leave it.
   * Each gap below the new row count is filled by one of the last rows, moved in place, so a step where rows
   * leave copies at most as many rows as left (shifting every row behind a gap up would copy about half the
   * batch at every step where an answer ends, which in a continuous batch is most of them).
   *
   * @return the new order: for each row of the batch now, its index before
   */
  public int[] dropRows(int[] leaving) {
    if (joining != 0) {
      throw new IllegalStateException("rows leave between steps, not with rows admitted");
    }
    boolean[] gone = new boolean[rows];
    for (int i = 0; i < leaving.length; i++) {
      if (leaving[i] < 0 || leaving[i] >= rows || (i > 0 && leaving[i] <= leaving[i - 1])) {
        throw new IllegalArgumentException("rows to drop must be increasing indices below " + rows + ": "
            + Arrays.toString(leaving));
      }
      gone[leaving[i]] = true;
    }
    int left = rows - leaving.length;
    int[] order = new int[left];
    for (int r = 0; r < left; r++) {
      order[r] = r;
    }
    if (left == 0) {
      release(); // an idle batch holds no memory; the next rows get buffers of their own size
      return order;
    }
    int from = start();
    int donor = left; // the rows at or past `left` that stay fill the gaps below it, in order
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (int gap = 0; gap < left; gap++) {
        if (!gone[gap]) {
          continue;
        }
        while (gone[donor]) {
          donor++;
        }
        NDIndex to = new NDIndex().addIndices(gap).addAllDim().addSliceDim(from, end);
        NDIndex src = new NDIndex().addIndices(donor).addAllDim().addSliceDim(from, end);
        for (int layer = 0; layer < keys.length; layer++) {
          keys[layer].set(to, keys[layer].get(src));
          values[layer].set(to, values[layer].get(src));
        }
        valid[gap] = valid[donor];
        order[gap] = donor++;
      }
    }
    for (int r = left; r < rows; r++) {
      valid[r] = null;
    }
    rows = left;
    return order;
  }

  /**
   * Row {@code row}'s tokens, copied into a new {@link KvCache.RowState} under {@code parent} for the
   * dialogue's next turn.
   *
   * @param tokens the token ids of those slots, in order; their count must equal the row's slots
   */
  public KvCache.RowState rowState(NDManager parent, int row, int[] tokens) {
    // The scope frees the slices the copy is made from: they would otherwise live as long as this cache, and
    // each would hold its buffer's memory after the buffers move.
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return KvCache.rowState(parent, keys, values, valid[row], end, row, tokens);
    }
  }

  /** Frees the buffers; the batch is empty. */
  private void release() {
    for (int layer = 0; layer < keys.length; layer++) {
      keys[layer].close();
      values[layer].close();
      keys[layer] = null;
      values[layer] = null;
    }
    rows = 0;
    end = 0;
    rowCapacity = 0;
    capacity = 0;
    valid = new boolean[0][];
  }

  @Override
  public void close() {
    manager.close();
  }
}
