package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Level#relativeLayout()} and the Sokoban environment's similarity key built on it. */
class SimilarityKeyTest {

  private static Level level(String... rows) {
    return Level.parse(String.join("\n", rows));
  }

  @Test
  void theLayoutIsBoxesThenTargetsAsOffsetsFromThePlayer() {
    assertEquals("boxes 0,+1 targets 0,+3", level("######", "#PX_O#", "######").relativeLayout());
    assertEquals("boxes -1,0 targets -2,+1", level("#####", "#__O#", "#_X_#", "#_P_#", "#####").relativeLayout());
  }

  @Test
  void wallsAndWhereTheGroupSitsInTheRoomDoNotChangeIt() {
    Level left = level("#######", "#PX_O_#", "#_____#", "#######");
    Level shiftedWithAWall = level("#######", "#_#___#", "#_PX_O#", "#######");
    assertEquals(left.relativeLayout(), shiftedWithAWall.relativeLayout());
    assertNotEquals(left.relativeLayout(), level("#######", "#PX__O#", "#_____#", "#######").relativeLayout());
  }

  @Test
  void severalBoxesAreListedInRowMajorOrder() {
    Level two = level("#######", "#_X_O_#", "#P_X_O#", "#######");
    assertEquals("boxes -1,+1 0,+2 targets -1,+3 0,+4", two.relativeLayout());
  }

  @Test
  void everyTaskHasTheKeyOfItsLevelAndManyTrainingLevelsShareOne() {
    SokobanEnvironment env = new SokobanEnvironment(SokobanSettings.ragen());
    SokobanLevels levels = new SokobanLevels(SokobanSettings.ragen());
    List<Task> train = env.tasks().train().subList(0, 256);
    Map<String, Integer> perKey = new HashMap<>();
    for (Task t : train) {
      String key = env.similarityKey(t).orElseThrow();
      assertEquals(levels.levelFor(t.seed()).level().relativeLayout(), key);
      perKey.merge(key, 1, Integer::sum);
    }
    // One-box 6x6 rooms have few distinct layouts: most levels share theirs with another level.
    assertTrue(perKey.size() < train.size() / 2, "distinct layouts among 256 levels: " + perKey.size());
  }
}
