package io.skillsd.environments.sokoban;

/**
 * A set of non-zero {@code long} state keys (open addressing, linear probing), so that searches over millions
 * of states do not box every key. Zero is the empty-slot marker; state keys never are zero because the player
 * never stands on cell 0 (a border wall).
 */
final class StateSet {

  private long[] slots;
  private int size;
  private int mask;

  StateSet(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    slots = new long[capacity];
    mask = capacity - 1;
  }

  /** Adds {@code key}; false if it was already there. */
  boolean add(long key) {
    if (key == 0) {
      throw new IllegalArgumentException("state key 0 is reserved");
    }
    int i = mix(key) & mask;
    while (true) {
      long k = slots[i];
      if (k == 0) {
        slots[i] = key;
        if (++size * 2 > slots.length) {
          grow();
        }
        return true;
      }
      if (k == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size;
  }

  void clear() {
    java.util.Arrays.fill(slots, 0L);
    size = 0;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    mask = slots.length - 1;
    for (long k : old) {
      if (k != 0) {
        int i = mix(k) & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = k;
      }
    }
  }

  private static int mix(long key) {
    long z = key * 0x9E3779B97F4A7C15L;
    return (int) (z ^ (z >>> 32));
  }
}
