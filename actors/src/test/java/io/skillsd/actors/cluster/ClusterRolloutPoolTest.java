package io.skillsd.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.Receptionist;
import io.skillsd.actors.coordinator.RolloutPool;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import io.skillsd.policies.prompt.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The learner-side pool with two workers played by test probes (registered with the Receptionist as real
 * workers are): weights first, then work spread by load; a worker that goes away has its in-flight episodes
 * reported lost exactly once, and its late answers are ignored.
 */
class ClusterRolloutPoolTest {

  private static TrainingModels models;
  /** One actor system per test, so a pool of one test never sees the workers of another. */
  private ActorTestKit testKit;

  @BeforeAll
  static void load() {
    models = TrainingModels.load("builtin:tiny", 0);
  }

  @AfterAll
  static void close() {
    models.close();
  }

  @BeforeEach
  void start() {
    testKit = ActorTestKit.create("pool");
  }

  @AfterEach
  void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Episode episode(int member) {
    return Episode.student(String.format("it0001-t00-g%02d", member), new Task("level", Split.TRAIN, 1L, 1), 1, 0,
        member, false, 1f, member);
  }

  private static EpisodeResult result(Episode e) {
    Trajectory t = new Trajectory("sokoban", e.task(), "rules", "obs", List.of(), new EpisodeMetrics(false, 0.0));
    return new EpisodeResult(e, t, Transcript.open(new int[] {1, 2}), new float[2], 0, 1, 1);
  }

  /** Receives one version's chunks, checks they rebuild every tensor, and acknowledges as a worker does. */
  private static long applyWeights(TestProbe<RolloutWorkerProtocol.Command> worker) {
    List<RolloutWorkerProtocol.WeightsChunk> chunks = new ArrayList<>();
    RolloutWorkerProtocol.WeightsChunk first = (RolloutWorkerProtocol.WeightsChunk) worker.receiveMessage(Duration.ofSeconds(10));
    chunks.add(first);
    while (chunks.size() < first.count()) {
      var c = (RolloutWorkerProtocol.WeightsChunk) worker.receiveMessage(Duration.ofSeconds(10));
      assertEquals(chunks.size(), c.index(), "chunks arrive in order");
      chunks.add(c);
      if (chunks.size() % ClusterRolloutPool.ACK_EVERY == 0) {
        first.replyTo().tell(new RolloutWorkerProtocol.WeightsAck(worker.ref(), first.version(), chunks.size()));
      }
    }
    Map<String, Long> floats = new HashMap<>();
    for (var c : chunks) {
      assertTrue(c.data().length <= RolloutWorkerProtocol.MAX_CHUNK_FLOATS);
      floats.merge(c.name(), (long) c.data().length, Long::sum);
    }
    models.studentNetwork().toHost().forEach((name, t) -> assertEquals((long) t.data().length, floats.get(name), name));
    first.replyTo().tell(new RolloutWorkerProtocol.WeightsApplied(worker.ref(), first.version(), 1));
    return first.version();
  }

  @Test
  void spreadsWorkAndReRunsWhatALostWorkerHeld() {
    ActorRef<RolloutPool.Command> pool = testKit.spawn(ClusterRolloutPool.create(models), "pool-1");
    TestProbe<RolloutWorkerProtocol.Command> a = testKit.createTestProbe("worker-a");
    TestProbe<RolloutWorkerProtocol.Command> b = testKit.createTestProbe("worker-b");
    testKit.system().receptionist().tell(Receptionist.register(RolloutWorkerProtocol.SERVICE_KEY, a.ref()));
    assertEquals(models.version(), applyWeights(a));
    testKit.system().receptionist().tell(Receptionist.register(RolloutWorkerProtocol.SERVICE_KEY, b.ref()));
    assertEquals(models.version(), applyWeights(b));

    TestProbe<RolloutPool.Outcome> coordinator = testKit.createTestProbe();
    for (int i = 0; i < 6; i++) {
      pool.tell(new RolloutPool.Run(episode(i), coordinator.ref()));
    }
    List<RolloutWorkerProtocol.RunEpisode> onA = new ArrayList<>();
    List<RolloutWorkerProtocol.RunEpisode> onB = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      onA.add((RolloutWorkerProtocol.RunEpisode) a.receiveMessage(Duration.ofSeconds(5)));
      onB.add((RolloutWorkerProtocol.RunEpisode) b.receiveMessage(Duration.ofSeconds(5)));
    }
    a.expectNoMessage(Duration.ofMillis(200));
    b.expectNoMessage(Duration.ofMillis(200));

    // a finishes one episode; then b goes away with all three of its episodes in flight.
    Episode done = onA.get(0).episode();
    onA.get(0).replyTo().tell(new RolloutWorkerProtocol.EpisodeDone(a.ref(), result(done).withNode("a")));
    RolloutPool.Outcome first = coordinator.receiveMessage(Duration.ofSeconds(5));
    assertInstanceOf(RolloutPool.Done.class, first);
    assertEquals("a", ((RolloutPool.Done) first).result().node());
    b.stop();
    Set<String> lost = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      RolloutPool.Outcome o = coordinator.receiveMessage(Duration.ofSeconds(10));
      assertInstanceOf(RolloutPool.Lost.class, o);
      lost.add(o.episode().episodeId());
    }
    assertEquals(Set.copyOf(onB.stream().map(r -> r.episode().episodeId()).toList()), lost);

    // A late answer from the lost worker, and a second answer for a finished episode, count for nothing.
    onB.get(0).replyTo().tell(new RolloutWorkerProtocol.EpisodeDone(b.ref(), result(onB.get(0).episode())));
    onA.get(0).replyTo().tell(new RolloutWorkerProtocol.EpisodeDone(a.ref(), result(done)));
    coordinator.expectNoMessage(Duration.ofMillis(300));

    // The re-runs go to the worker that is left.
    for (String id : lost) {
      Episode e = onB.stream().map(RolloutWorkerProtocol.RunEpisode::episode).filter(x -> x.episodeId().equals(id))
          .findFirst().orElseThrow();
      pool.tell(new RolloutPool.Run(e.retry(), coordinator.ref()));
    }
    for (int i = 0; i < 3; i++) {
      var run = (RolloutWorkerProtocol.RunEpisode) a.receiveMessage(Duration.ofSeconds(5));
      assertTrue(run.episode().episodeId().endsWith("-r1"), run.episode().episodeId());
    }
  }

  @Test
  void aWorkerThatJoinsGetsWeightsBeforeWorkAndPublishWaitsForIt() {
    ActorRef<RolloutPool.Command> pool = testKit.spawn(ClusterRolloutPool.create(models), "pool-2");
    TestProbe<RolloutPool.Outcome> coordinator = testKit.createTestProbe();
    // A run with no worker waits; the worker that joins gets the weights first, then the run.
    pool.tell(new RolloutPool.Run(episode(9), coordinator.ref()));
    TestProbe<RolloutWorkerProtocol.Command> late = testKit.createTestProbe("worker-c");
    testKit.system().receptionist().tell(Receptionist.register(RolloutWorkerProtocol.SERVICE_KEY, late.ref()));
    assertEquals(models.version(), applyWeights(late));
    var run = (RolloutWorkerProtocol.RunEpisode) late.receiveMessage(Duration.ofSeconds(5));
    assertEquals(models.version(), run.version());
    run.replyTo().tell(new RolloutWorkerProtocol.EpisodeDone(late.ref(), result(run.episode())));
    assertInstanceOf(RolloutPool.Done.class, coordinator.receiveMessage(Duration.ofSeconds(5)));

    // Publishing a new version answers only once the worker has applied it.
    TestProbe<RolloutPool.Published> published = testKit.createTestProbe();
    models.setVersion(models.version() + 5); // what the learner does before it publishes
    pool.tell(new RolloutPool.Publish(models.version(), published.ref()));
    published.expectNoMessage(Duration.ofMillis(200));
    assertEquals(models.version(), applyWeights(late));
    RolloutPool.Published p = published.receiveMessage(Duration.ofSeconds(5));
    assertEquals(models.version(), p.version());
    assertEquals(1, p.nodes());
    assertTrue(p.bytes() >= 4L * models.studentNetwork().parameterCount());
  }
}
