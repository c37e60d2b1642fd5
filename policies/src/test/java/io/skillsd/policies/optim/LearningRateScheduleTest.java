package io.skillsd.policies.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void linearWarmUpThenConstant() {
    LearningRateSchedule s = LearningRateSchedule.constant(1e-3, 4);
    assertEquals(0.25e-3, s.at(0), 1e-15);
    assertEquals(0.5e-3, s.at(1), 1e-15);
    assertEquals(0.75e-3, s.at(2), 1e-15);
    assertEquals(1e-3, s.at(3), 1e-15);
    assertEquals(1e-3, s.at(4), 1e-15);
    assertEquals(1e-3, s.at(10_000), 1e-15);
    assertEquals(2.0, LearningRateSchedule.constant(2.0, 0).at(0), 0);
  }

  @Test
  void warmUpThenCosineToTheFloor() {
    LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 2, 12, 0.1);
    assertEquals(0.5, s.at(0), 1e-12);
    assertEquals(1.0, s.at(1), 1e-12);
    assertEquals(1.0, s.at(2), 1e-12); // progress 0
    assertEquals(0.1 + 0.9 * 0.5, s.at(7), 1e-12); // halfway: cos(π/2) = 0
    assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.3)), s.at(5), 1e-12);
    assertEquals(0.1, s.at(12), 1e-12);
    assertEquals(0.1, s.at(100), 1e-12);
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0, 1));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 10, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 0, 10, 1.5));
  }
}
