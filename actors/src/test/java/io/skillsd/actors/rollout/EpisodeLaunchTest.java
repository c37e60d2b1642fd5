package io.skillsd.actors.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Behaviors;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A launch announces every episode to the policy server before any runner can ask for a reply, so a
 * lockstep round never closes on part of the launch.
 */
class EpisodeLaunchTest {

  private static final ActorTestKit testKit = ActorTestKit.create("launch");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyEpisodeIsExpectedBeforeTheFirstRequest() {
    int n = 16;
    List<Task> tasks = EnvironmentRegistry.load().create("sokoban", Map.of()).tasks().train();
    List<Episode> episodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      episodes.add(Episode.student(String.format("it0001-t%02d-g00", i), tasks.get(i % tasks.size()), 1, i, 0, false,
          1f, i));
    }
    try (TrainingModels models = TrainingModels.load("builtin:tiny", 0)) {
      TestProbe<PolicyServerProtocol.Command> policy = testKit.createTestProbe();
      TestProbe<EpisodeResult> results = testKit.createTestProbe();
      // launched from inside an actor, as the coordinator does: each runner starts on another thread at once
      // and asks for its first reply while the launcher goes on; the pause after each spawn gives every
      // started runner the time to do so before the next episode's turn
      testKit.spawn(Behaviors.setup(ctx -> {
        EpisodeRunnerActor.launchAll(policy.ref(), episodes, e -> {
          ctx.spawn(EpisodeRunnerActor.create("launch", e, () -> EnvironmentRegistry.load().create("sokoban", Map.of()),
              models.format(), policy.ref(), 5, results.ref()), e.episodeId());
          try {
            Thread.sleep(50);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
        });
        return Behaviors.empty();
      }), "launcher");
      List<PolicyServerProtocol.Command> received = policy.receiveSeveralMessages(2 * n, Duration.ofSeconds(30));
      for (int i = 0; i < n; i++) {
        PolicyServerProtocol.Expect expect = assertInstanceOf(PolicyServerProtocol.Expect.class, received.get(i),
            "message " + i + " of " + received);
        assertEquals(episodes.get(i).episodeId(), expect.episodeId());
      }
      for (int i = n; i < 2 * n; i++) {
        assertInstanceOf(PolicyServerProtocol.Generate.class, received.get(i)); // each runner's first request
      }
    }
  }
}
