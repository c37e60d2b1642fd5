package io.skillsd.policies.objectives;

import static io.skillsd.policies.objectives.Tensors.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectiveTest {

  private NDManager manager;
  private final float[][] logpNew = {{-0.4f, -2.0f}, {-1.1f, -0.3f}};
  private final float[][] logpOld = {{-0.5f, -1.6f}, {-1.0f, -0.1f}};
  private final float[][] logpTeacher = {{-0.2f, -4.0f}, {-2.5f, 0f}};
  private final float[][] mask = {{1, 1}, {1, 0}};
  private final float[] adv = {0.7f, -0.7f};
  private final float[] skillMask = {1, 1};

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Objective.Inputs inputs(Optional<NDArray> teacher) {
    return new Objective.Inputs(
        matrix(manager, logpNew), matrix(manager, logpOld), teacher, manager.create(adv),
        matrix(manager, mask), manager.create(skillMask), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  private double grpoAlone() {
    return new GrpoLoss(0.2, 0.28, 0)
        .compute(matrix(manager, logpNew), matrix(manager, logpOld), manager.create(adv), matrix(manager, mask))
        .loss()
        .getFloat();
  }

  private double sdlAlone() {
    return SkillSdLoss.paper()
        .compute(
            matrix(manager, logpNew), matrix(manager, logpOld), matrix(manager, logpTeacher),
            matrix(manager, mask), manager.create(skillMask))
        .loss()
        .getFloat();
  }

  @Test
  void skillSdIsGrpoPlusLambdaTimesSdl() {
    Objective.Result r =
        new Objective(ObjectiveSettings.skillSd().withLambda(0.5))
            .compute(inputs(Optional.of(matrix(manager, logpTeacher))));
    assertEquals(grpoAlone() + 0.5 * sdlAlone(), r.loss().getFloat(), 1e-6);
    assertEquals(grpoAlone(), r.grpoLoss(), 1e-6);
    assertEquals(sdlAlone(), r.distillationLoss(), 1e-6);
    assertEquals(3, r.distilledTokens());
    assertTrue(r.entropy().isEmpty());
  }

  @Test
  void variantsSelectTheirTerms() {
    Optional<NDArray> teacher = Optional.of(matrix(manager, logpTeacher));
    assertEquals(
        grpoAlone(),
        new Objective(ObjectiveSettings.grpo()).compute(inputs(teacher)).loss().getFloat(),
        1e-6);
    assertEquals(
        grpoAlone(),
        new Objective(ObjectiveSettings.grpo()).compute(inputs(Optional.empty())).loss().getFloat(),
        1e-6);
    assertEquals(
        sdlAlone(),
        new Objective(ObjectiveSettings.opd()).compute(inputs(teacher)).loss().getFloat(),
        1e-6);
    assertThrows(
        IllegalArgumentException.class,
        () -> new Objective(ObjectiveSettings.skillSd()).compute(inputs(Optional.empty())));
  }

  @Test
  void onlySkillAugmentedGrpoShowsSkillsToTheStudent() {
    for (Algorithm a : Algorithm.values()) {
      assertEquals(a == Algorithm.SKILL_AUGMENTED_GRPO, a.skillInStudentPrompt(), a.name());
    }
    ObjectiveSettings s = ObjectiveSettings.skillAugmentedGrpo();
    assertEquals(0, s.distillationWeight());
    assertEquals(1, s.rewardWeight());
    assertFalse(ObjectiveSettings.skillSd().algorithm().skillInStudentPrompt());
  }

  @Test
  void defaultsAreThePapersAndExtensionsAreOff() {
    ObjectiveSettings s = ObjectiveSettings.skillSd();
    assertEquals(Algorithm.SKILL_SD, s.algorithm());
    assertEquals(0.001, s.lambda());
    assertEquals(0.2, s.epsLow());
    assertEquals(0.28, s.epsHigh());
    assertEquals(1e-6, s.advantageEpsilon());
    assertEquals(0, s.refKlBeta());
    assertTrue(s.importanceWeighted());
    assertTrue(s.ellClip().isEmpty());
    assertEquals(Distillation.SAMPLED_TOKEN, s.distillation());
    assertEquals(new TeacherSync.Dynamic(1), s.teacherSync());
    assertEquals(0, ObjectiveSettings.grpo().distillationWeight());
    assertEquals(0, ObjectiveSettings.opd().rewardWeight());
    assertEquals(1, ObjectiveSettings.opd().distillationWeight());
  }

  @Test
  void invalidSettingsNameTheKey() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ObjectiveSettings.skillSd().withLambda(-1));
    assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ObjectiveSettings.skillSd().withClip(1.2, 0.28));
    assertTrue(e.getMessage().contains("epsLow"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ObjectiveSettings.skillSd().withTopK(0));
    assertTrue(e.getMessage().contains("topK"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TeacherSync.Dynamic(0));
    assertThrows(IllegalArgumentException.class, () -> new TeacherSync.Ema(0));
  }
}
