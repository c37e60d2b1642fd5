package io.skillsd.environments.miniappworld;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.skillsd.environments.Episodes;
import io.skillsd.environments.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Serves the claim that every seed's tasks are solvable, not only the two the default suite plays: the
 * reference agent passes all 60 tasks of 100 world seeds (6,000 episodes; 41 s on the 2-core build machine).
 */
@Tag("long")
class ManySeedsTest {

  @Test
  void theReferenceAgentSolvesEveryTaskOfAHundredWorlds() {
    List<String> failures = new ArrayList<>();
    for (long seed = 0; seed < 100; seed++) {
      MiniAppWorld env = new MiniAppWorld(new MiniAppWorldSettings(seed, 40, 3000, -0.1));
      for (Task task : Stream.concat(env.tasks().train().stream(), env.tasks().test().stream()).toList()) {
        try {
          if (!Episodes.play(env, task, env.referenceAgent().orElseThrow(), 40).metrics().success()) {
            failures.add("seed " + seed + " " + task.id() + ": " + env.render());
          }
        } catch (RuntimeException e) {
          failures.add("seed " + seed + " " + task.id() + ": " + e);
        }
      }
    }
    assertEquals(List.of(), failures);
  }
}
