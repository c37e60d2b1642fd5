package io.skillsd.policies.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TeacherSyncTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Block linear(int in, int out) {
    Block b = Linear.builder().setUnits(out).build();
    b.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
    b.setInitializer(new NormalInitializer(1f), Parameter.Type.BIAS);
    b.initialize(manager, DataType.FLOAT32, new Shape(1, in));
    return b;
  }

  @Test
  void dynamicCopiesEveryKthUpdate() {
    TeacherSyncSchedule s = new TeacherSyncSchedule(new TeacherSync.Dynamic(3));
    assertEquals(new TeacherSyncSchedule.Copy(), s.atStart());
    assertEquals(new TeacherSyncSchedule.Keep(), s.afterUpdate(1));
    assertEquals(new TeacherSyncSchedule.Keep(), s.afterUpdate(2));
    assertEquals(new TeacherSyncSchedule.Copy(), s.afterUpdate(3));
    assertEquals(new TeacherSyncSchedule.Copy(), s.afterUpdate(6));
    TeacherSyncSchedule every = new TeacherSyncSchedule(new TeacherSync.Dynamic(1));
    for (int k = 1; k <= 5; k++) {
      assertEquals(new TeacherSyncSchedule.Copy(), every.afterUpdate(k));
    }
  }

  @Test
  void frozenKeepsAndEmaBlendsEveryUpdate() {
    TeacherSyncSchedule frozen = new TeacherSyncSchedule(new TeacherSync.Frozen());
    assertEquals(new TeacherSyncSchedule.Copy(), frozen.atStart());
    for (int k = 1; k <= 5; k++) {
      assertEquals(new TeacherSyncSchedule.Keep(), frozen.afterUpdate(k));
    }
    TeacherSyncSchedule ema = new TeacherSyncSchedule(new TeacherSync.Ema(0.1));
    assertEquals(new TeacherSyncSchedule.Blend(0.1), ema.afterUpdate(7));
    assertThrows(IllegalArgumentException.class, () -> ema.afterUpdate(0));
  }

  @Test
  void copyAndBlendActOnEveryParameterByName() {
    Block student = linear(3, 2);
    Block teacher = linear(3, 2);
    Pair<String, Parameter> w = student.getParameters().get(0);
    float[] theta = w.getValue().getArray().toFloatArray();
    float[] thetaBar = teacher.getParameters().get(w.getKey()).getArray().toFloatArray();

    TeacherWeights.blend(student.getParameters(), teacher.getParameters(), 0.25);
    float[] blended = teacher.getParameters().get(w.getKey()).getArray().toFloatArray();
    for (int j = 0; j < theta.length; j++) {
      assertEquals(0.75 * thetaBar[j] + 0.25 * theta[j], blended[j], 1e-6);
    }

    TeacherWeights.apply(new TeacherSyncSchedule.Copy(), student.getParameters(), teacher.getParameters());
    for (Pair<String, Parameter> p : student.getParameters()) {
      assertArrayEquals(
          p.getValue().getArray().toFloatArray(),
          teacher.getParameters().get(p.getKey()).getArray().toFloatArray());
    }
    // the copy is a copy: changing θ afterwards leaves θ̄ alone
    w.getValue().getArray().addi(1f);
    assertArrayEquals(theta, teacher.getParameters().get(w.getKey()).getArray().toFloatArray());
  }

  @Test
  void mismatchedArchitecturesFailBeforeWriting() {
    Block student = linear(3, 2);
    Block other = linear(4, 2);
    float[] before = other.getParameters().get(0).getValue().getArray().toFloatArray();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TeacherWeights.copy(student.getParameters(), other.getParameters()));
    assertEquals(true, e.getMessage().contains("shape"), e.getMessage());
    assertArrayEquals(before, other.getParameters().get(0).getValue().getArray().toFloatArray());
  }
}
