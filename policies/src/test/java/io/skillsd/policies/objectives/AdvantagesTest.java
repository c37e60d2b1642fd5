package io.skillsd.policies.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdvantagesTest {

  @Test
  void normalizesByGroupMeanAndPopulationStd() {
    double[] rewards = {1, 0, 0, 1, 1};
    double mean = 0.6;
    double std = Math.sqrt((3 * 0.16 + 2 * 0.36) / 5); // population: divide by G = 5
    double[] expected = new double[5];
    for (int i = 0; i < 5; i++) {
      expected[i] = (rewards[i] - mean) / (std + 1e-6);
    }
    assertArrayEquals(expected, Advantages.groupNormalized(rewards), 1e-12);
  }

  @Test
  void advantagesSumToZeroAndHaveUnitPopulationSpread() {
    double[] adv = Advantages.groupNormalized(new double[] {0.3, 2.0, -1.0, 0.7}, 1e-12);
    double sum = 0;
    double sq = 0;
    for (double a : adv) {
      sum += a;
      sq += a * a;
    }
    assertEquals(0, sum, 1e-9);
    assertEquals(1, sq / adv.length, 1e-9);
  }

  @Test
  void allEqualGroupsGiveExactlyZero() {
    // 0.1 + 0.1 + 0.1 is not 0.3 in floating point: the mean differs from 0.1 by rounding
    assertArrayEquals(new double[3], Advantages.groupNormalized(new double[] {0.1, 0.1, 0.1}));
    assertArrayEquals(new double[1], Advantages.groupNormalized(new double[] {5}));
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> Advantages.groupNormalized(new double[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> Advantages.groupNormalized(new double[] {1, Double.NaN}));
    assertThrows(
        IllegalArgumentException.class, () -> Advantages.groupNormalized(new double[] {1, 2}, 0));
  }
}
