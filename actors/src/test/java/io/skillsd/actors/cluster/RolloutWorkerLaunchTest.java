package io.skillsd.actors.cluster;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.LaunchOrder;
import io.skillsd.environments.EnvironmentRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster node receives a launch one {@code RunEpisode} at a time; it announces every episode of the
 * burst to its policy server before any of their runners can ask for a reply, as the coordinator does in
 * one JVM, so a lockstep round on the node never closes on the first episode alone.
 */
class RolloutWorkerLaunchTest {

  private static final ActorTestKit testKit = ActorTestKit.create("worker-launch");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aBurstOfEpisodesIsExpectedBeforeTheFirstRequest() {
    List<Episode> episodes = LaunchOrder.episodes(16);
    try (TrainingModels models = TrainingModels.load("builtin:tiny", 0)) {
      TestProbe<PolicyServerProtocol.Command> policy = testKit.createTestProbe();
      TestProbe<RolloutWorkerProtocol.Reply> replies = testKit.createTestProbe();
      // the worker starts once the whole burst is in its mailbox, as when a launch arrives in one read
      CountDownLatch sent = new CountDownLatch(1);
      ActorRef<RolloutWorkerProtocol.Command> worker = testKit.spawn(RolloutWorkerActor.create("launch", models,
          () -> EnvironmentRegistry.load().create("sokoban", Map.of()),
          new RolloutWorkerActor.Settings(24, 1f, 256, true, PolicyServerActor.Batching.LOCKSTEP, 5, 0), "node-1", ctx -> {
            try {
              sent.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return policy.ref();
          }), "worker");
      for (Episode e : episodes) {
        worker.tell(new RolloutWorkerProtocol.RunEpisode(e, models.version(), replies.ref()));
      }
      sent.countDown();
      LaunchOrder.assertExpectedBeforeRequests(policy, episodes);
    }
  }
}
