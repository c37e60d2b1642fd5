package io.skillsd.actors.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.TestProbe;
import io.skillsd.actors.policy.PolicyServerProtocol;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the launch-order tests share: a launch of Sokoban episodes, and the order a policy server must see. */
public final class LaunchOrder {
  private LaunchOrder() {}

  /** {@code n} student episodes of one iteration over Sokoban's training levels. */
  public static List<Episode> episodes(int n) {
    List<Task> tasks = EnvironmentRegistry.load().create("sokoban", Map.of()).tasks().train();
    List<Episode> episodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      episodes.add(Episode.student(String.format("it0001-t%02d-g00", i), tasks.get(i % tasks.size()), 1, i, 0, false,
          1f, i));
    }
    return episodes;
  }

  /** The policy server hears every episode expected, in launch order, before the first runner's request. */
  public static void assertExpectedBeforeRequests(TestProbe<PolicyServerProtocol.Command> policy,
      List<Episode> episodes) {
    int n = episodes.size();
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
