package io.skillsd.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ExtendedActorSystem;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Adapter;
import io.skillsd.actors.cluster.RolloutWorkerProtocol;
import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.rollout.Episode;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.actors.rollout.EpisodeRunnerActor;
import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Results of real episodes cross a node boundary intact: a Sokoban episode played by the tiny policy and a
 * MiniAppWorld trajectory (whose last step's info holds a nested, unmodifiable map) round-trip through the
 * Kryo serializer with registration required, inside the rollout worker's reply.
 */
class EpisodeResultRoundTripTest {

  private static final ActorTestKit testKit = ActorTestKit.create("round-trip");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static KryoSerializer serializer() {
    return new KryoSerializer((ExtendedActorSystem) Adapter.toClassic(testKit.system()));
  }

  private static Object roundTrip(Object message) {
    KryoSerializer kryo = serializer();
    return kryo.fromBinaryJava(kryo.toBinary(message), null);
  }

  @Test
  void sokobanEpisodeResultRoundTrips() {
    try (TrainingModels models = TrainingModels.load("builtin:tiny", 0)) {
      ActorRef<PolicyServerProtocol.Command> policy = testKit.spawn(PolicyServerActor.create("rt", models, 8, 1f, 16, true),
          "policy", DispatcherSelector.fromConfig("skillsd-compute-dispatcher"));
      Environment probeEnv = EnvironmentRegistry.load().create("sokoban", Map.of());
      Task task = probeEnv.tasks().train().get(0);
      Episode episode = Episode.student("it0001-t00-g00", task, 1, 0, 0, false, 1f, 42L);
      TestProbe<EpisodeResult> results = testKit.createTestProbe();
      policy.tell(new PolicyServerProtocol.Expect(episode.episodeId()));
      testKit.spawn(EpisodeRunnerActor.create("rt", episode, () -> EnvironmentRegistry.load().create("sokoban", Map.of()),
          models.format(), policy, 3, results.ref()), episode.episodeId());
      EpisodeResult result = results.receiveMessage(Duration.ofSeconds(60)).withNode("127.0.0.1:25520");
      assertTrue(result.trajectory().turns().size() >= 1, "the episode played at least one turn");

      TestProbe<RolloutWorkerProtocol.Command> worker = testKit.createTestProbe();
      var message = new RolloutWorkerProtocol.EpisodeDone(worker.ref(), result);
      Object back = roundTrip(message);
      assertInstanceOf(RolloutWorkerProtocol.EpisodeDone.class, back);
      assertTrue(MessageSweep.deepEquals(message, back), "the episode result changed on the way");
      EpisodeResult r = ((RolloutWorkerProtocol.EpisodeDone) back).result();
      assertEquals(result.trajectory().turns().get(0).result().info(), r.trajectory().turns().get(0).result().info());
      assertEquals("127.0.0.1:25520", r.node());
    }
  }

  @Test
  void miniAppWorldTrajectoryWithNestedInfoRoundTrips() {
    Environment env = EnvironmentRegistry.load().create("miniappworld", Map.of());
    Task task = env.tasks().train().get(0);
    String first = env.reset(task);
    List<Trajectory.Turn> turns = new ArrayList<>();
    StepResult step;
    do {
      step = env.step("{\"app\":\"supervisor\",\"api\":\"complete_task\",\"args\":{}}");
      turns.add(new Trajectory.Turn("complete", step));
    } while (!step.done() && turns.size() < 100);
    assertTrue(step.done(), "the episode ended");
    assertTrue(step.info().values().stream().anyMatch(v -> v instanceof Map<?, ?>), "the last info nests a map: " + step.info());
    Trajectory t = new Trajectory(env.name(), task, env.instructions(), first, turns, new EpisodeMetrics(false, 0.0));
    Object back = roundTrip(t);
    assertTrue(MessageSweep.deepEquals(t, back), "the trajectory changed on the way");
    assertEquals(step.info(), ((Trajectory) back).turns().get(turns.size() - 1).result().info());
  }
}
