package io.skillsd.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Task;
import java.time.Duration;
import java.util.ArrayList;
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
    int n = 16;
    List<Task> tasks = EnvironmentRegistry.load().create("sokoban", Map.of()).tasks().train();
    try (TrainingModels models = TrainingModels.load("builtin:tiny", 0)) {
      TestProbe<PolicyServerProtocol.Command> policy = testKit.createTestProbe();
      TestProbe<RolloutWorkerProtocol.Reply> replies = testKit.createTestProbe();
      // the worker starts once the whole burst is in its mailbox, as when a launch arrives in one read
      CountDownLatch sent = new CountDownLatch(1);
      ActorRef<RolloutWorkerProtocol.Command> worker = testKit.spawn(RolloutWorkerActor.create("launch", models,
          () -> EnvironmentRegistry.load().create("sokoban", Map.of()),
          new RolloutWorkerActor.Settings(24, 1f, 256, true, 5, 0), "node-1", ctx -> {
            try {
              sent.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return policy.ref();
          }), "worker");
      List<Episode> episodes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Episode e = Episode.student(String.format("it0001-t%02d-g00", i), tasks.get(i % tasks.size()), 1, i, 0, false,
            1f, i);
        episodes.add(e);
        worker.tell(new RolloutWorkerProtocol.RunEpisode(e, models.version(), replies.ref()));
      }
      sent.countDown();
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
