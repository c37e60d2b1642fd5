package io.skillsd.tests.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentContract;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.examples.guessnumber.GuessNumberProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An environment outside skillsd's own modules is found through {@link java.util.ServiceLoader}. */
class ServiceLoaderTest {

  @Test
  void fixtureEnvironmentIsDiscoveredBesideTheBuiltInOnes() {
    EnvironmentRegistry registry = EnvironmentRegistry.load();
    assertTrue(registry.names().contains("guess-number"), registry.names().toString());
    assertTrue(registry.names().contains("sokoban"), registry.names().toString());
    assertInstanceOf(GuessNumberProvider.class, registry.provider("guess-number"));
  }

  @Test
  void discoveredEnvironmentPlaysThroughTheSpi() {
    Environment env = EnvironmentRegistry.load().create("guess-number", Map.of());
    Task task = env.tasks().test().get(0);
    Trajectory t = Episodes.play(env, task, env.referenceAgent().orElseThrow(), 10);
    assertTrue(t.metrics().success());
    assertEquals("guess-number", t.environment());
    assertTrue(t.turns().size() <= 7);
  }

  @Test
  void theExampleKeepsTheEnvironmentContract() {
    EnvironmentContract.Report report = EnvironmentContract.check(new GuessNumberProvider(), Map.of());
    assertTrue(report.passed(), report.describe());
  }

  @Test
  void unknownNamesAndOptionsAreReported() {
    EnvironmentRegistry registry = EnvironmentRegistry.load();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.provider("chess"));
    assertTrue(e.getMessage().contains("guess-number"));
    assertThrows(IllegalArgumentException.class, () -> registry.create("guess-number", Map.of("colour", "red")));
  }
}
