package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderTest {

  private static String error(Map<String, String> options) {
    return assertThrows(IllegalArgumentException.class,
        () -> EnvironmentRegistry.load().create("miniappworld", options)).getMessage();
  }

  @Test
  void theRegistryFindsMiniAppWorldWithItsOptions() {
    EnvironmentRegistry registry = EnvironmentRegistry.load();
    assertEquals(Set.of("seed", "max-turns", "observation-max-chars", "format-penalty"),
        registry.provider("miniappworld").optionKeys());
    Environment env = registry.create("miniappworld", Map.of("seed", "7", "max-turns", "30",
        "observation-max-chars", "1000", "format-penalty", "-0.2"));
    assertEquals("miniappworld", env.name());
    assertEquals(new MiniAppWorldSettings(7, 30, 1000, -0.2), ((MiniAppWorld) env).settings());
    assertEquals(MiniAppWorldSettings.DEFAULTS, ((MiniAppWorld) registry.create("miniappworld", Map.of())).settings());
  }

  @Test
  void tasksOfOneTemplateShareASimilarityKeyAndTasksOfTwoDoNot() {
    MiniAppWorld env = (MiniAppWorld) EnvironmentRegistry.load().create("miniappworld", Map.of());
    java.util.Map<String, java.util.Set<String>> keysByTemplate = new java.util.HashMap<>();
    for (var task : env.tasks().train()) {
      String template = MiniAppWorld.scenarioOf(task).split("/")[2];
      keysByTemplate.computeIfAbsent(template, t -> new java.util.HashSet<>()).add(env.similarityKey(task).orElseThrow());
    }
    assertEquals(true, keysByTemplate.size() > 1, "templates: " + keysByTemplate.keySet());
    java.util.Set<String> all = new java.util.HashSet<>();
    keysByTemplate.forEach((template, keys) -> {
      assertEquals(Set.of(template), keys, "keys of template " + template);
      all.addAll(keys);
    });
    assertEquals(keysByTemplate.size(), all.size());
  }

  @Test
  void badOptionsNameTheKeyTheValueAndWhatIsAllowed() {
    assertEquals("unknown miniappworld option 'turns' (allowed: format-penalty, max-turns, observation-max-chars, seed)",
        error(Map.of("turns", "3")));
    assertEquals("miniappworld option 'max-turns' has value 'many'; allowed: an integer from 1 to 1000",
        error(Map.of("max-turns", "many")));
    assertEquals("miniappworld option 'max-turns' has value '0'; allowed: an integer from 1 to 1000",
        error(Map.of("max-turns", "0")));
    assertEquals("miniappworld option 'format-penalty' has value '0.1'; allowed: a number from -10 to 0",
        error(Map.of("format-penalty", "0.1")));
    assertEquals("miniappworld option 'observation-max-chars' has value '50'; allowed: an integer from 200 to 1000000",
        error(Map.of("observation-max-chars", "50")));
    assertEquals("miniappworld option 'seed' has value 'x'; allowed: an integer (64-bit)", error(Map.of("seed", "x")));
  }
}
