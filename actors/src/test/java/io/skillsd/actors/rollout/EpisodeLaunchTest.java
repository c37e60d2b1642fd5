package io.skillsd.actors.rollout;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Behaviors;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.environments.EnvironmentRegistry;
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
    List<Episode> episodes = LaunchOrder.episodes(16);
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
      LaunchOrder.assertExpectedBeforeRequests(policy, episodes);
    }
  }
}
