package io.skillsd.policies.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.skillsd.policies.checkpoint.Checkpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cache's buffers: steps write in place, a full cache doubles its room, and neither changes a logit. */
class KvCacheTest {

  /** Feeds a 2-row batch: a left-padded prefill of 3 slots, then {@code steps} single tokens; all logits. */
  private static List<float[]> decode(CausalLm model, KvCache cache, int steps, List<Integer> capacities) {
    List<float[]> out = new ArrayList<>();
    try (NDManager m = model.manager().newSubManager()) {
      long[][] pos = {{0, 1, 2}, {0, 0, 1}};
      boolean[][] valid = {{true, true, true}, {false, true, true}};
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        out.add(model.step(m.create(new long[] {5, 9, 2, 0, 7, 1}, new Shape(2, 3)), pos, valid, cache, false)
            .toFloatArray());
      }
      capacities.add(cache.capacity());
      for (int s = 0; s < steps; s++) {
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          long[][] p = {{3 + s}, {2 + s}};
          out.add(model.step(m.create(new long[] {11 + s, 40 - s}, new Shape(2, 1)), p,
              new boolean[][] {{true}, {true}}, cache, true).toFloatArray());
        }
        capacities.add(cache.capacity());
      }
    }
    return out;
  }

  @Test
  void aCacheThatGrowsGivesTheSameLogitsAsOneWithRoomReserved() {
    try (CausalLm model = Checkpoints.load(Fixtures.parity("qwen3"), Device.cpu())) {
      List<Integer> grownCapacities = new ArrayList<>();
      List<Integer> reservedCapacities = new ArrayList<>();
      List<float[]> grown;
      List<float[]> reserved;
      try (KvCache cache = model.newCache(2)) {
        grown = decode(model, cache, 6, grownCapacities);
      }
      List<Optional<KvCache.RowState>> empty = List.of(Optional.empty(), Optional.empty());
      try (KvCache cache = KvCache.fromRows(model.manager(), model.config().numLayers(), empty, 7)) {
        reserved = decode(model, cache, 6, reservedCapacities);
      }
      // 3 slots after the prefill, then doubling whenever a step finds no room: 6 at slot 4, 12 at slot 7.
      assertEquals(List.of(3, 6, 6, 6, 12, 12, 12), grownCapacities);
      assertEquals(List.of(7, 7, 7, 7, 7, 14, 14), reservedCapacities);
      for (int i = 0; i < grown.size(); i++) {
        assertArrayEquals(reserved.get(i), grown.get(i), "step " + i);
      }
    }
  }
}
