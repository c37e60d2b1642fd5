package io.skillsd.environments.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.EnvironmentRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options: presets, overrides, and errors that name the key, the value and what is allowed. */
class SokobanProviderTest {

  private static SokobanSettings settings(Map<String, String> options) {
    return ((SokobanEnvironment) new SokobanProvider().create(options)).settings();
  }

  @Test
  void registeredThroughServiceLoader() {
    EnvironmentRegistry registry = EnvironmentRegistry.load();
    assertTrue(registry.names().contains("sokoban"));
    assertEquals("sokoban", registry.create("sokoban", Map.of()).name());
  }

  @Test
  void presetsMatchTheirSpecifications() {
    SokobanSettings ragen = settings(Map.of());
    assertEquals(SokobanSettings.ragen(), ragen);
    assertEquals(6, ragen.rows());
    assertEquals(1, ragen.boxes());
    assertEquals(5, ragen.maxTurns());
    assertEquals(5, ragen.maxActionsPerTurn());
    assertEquals(10, ragen.maxActions());
    assertEquals(100, ragen.maxSteps());
    assertEquals(300, ragen.searchDepth());
    SokobanSettings skill = settings(Map.of("preset", "skill-sd"));
    assertEquals(2, skill.boxes());
    assertEquals(40, skill.maxSteps());
    assertEquals(96, skill.trainSize());
    assertEquals(64, skill.testSize());
    assertTrue(skill.curriculum());
  }

  @Test
  void overridesApply() {
    SokobanSettings s = settings(Map.of("preset", "ragen", "dim", "7x8", "boxes", "2", "max-steps", "50",
        "search-depth", "30", "format-penalty", "-0.2", "one-action-per-turn", "true"));
    assertEquals(7, s.rows());
    assertEquals(8, s.cols());
    assertEquals(2, s.boxes());
    assertEquals(50, s.maxSteps());
    assertEquals(30, s.searchDepth());
    assertEquals(-0.2, s.formatPenalty());
    assertEquals(1, s.maxActionsPerTurn());
    assertEquals(8, settings(Map.of("dim", "8")).cols());
    assertFalse(settings(Map.of()).oneActionPerTurn());
  }

  @Test
  void badOptionsNameKeyValueAndWhatIsAllowed() {
    assertError(Map.of("colour", "red"), "'colour'", "'red'", "allowed keys");
    assertError(Map.of("preset", "sokoban-xl"), "'preset'", "'sokoban-xl'", "ragen, skill-sd");
    assertError(Map.of("boxes", "many"), "'boxes'", "'many'", "1 to 7");
    assertError(Map.of("boxes", "0"), "'boxes'", "'0'", "1 to 7");
    assertError(Map.of("dim", "3"), "'dim'", "'3'", "5 to 16");
    assertError(Map.of("dim", "6x6x6"), "'dim'", "'6x6x6'", "RxC");
    assertError(Map.of("format-penalty", "0.5"), "'format-penalty'", "'0.5'", "<= 0");
    assertError(Map.of("one-action-per-turn", "yes"), "'one-action-per-turn'", "'yes'", "true, false");
    assertError(Map.of("one-action-per-turn", "true", "max-actions-per-turn", "3"), "'max-actions-per-turn'",
        "'3'", "1 when one-action-per-turn");
    assertError(Map.of("train-seed", "x"), "'train-seed'", "'x'", "integer");
  }

  private static void assertError(Map<String, String> options, String... parts) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SokobanProvider().create(options));
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks " + p);
    }
  }
}
