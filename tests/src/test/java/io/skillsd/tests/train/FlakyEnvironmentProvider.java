package io.skillsd.tests.train;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentProvider;
import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.TaskSet;
import io.skillsd.environments.sokoban.SokobanProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sokoban whose instances fail on a fixed schedule, for fault tests: option {@code fail-every = k} makes
 * every k-th instance created throw on its second step; {@code fail-episode = <id suffix>} is not needed
 * because re-runs get fresh instances. The instance counter is global to the JVM.
 */
public final class FlakyEnvironmentProvider implements EnvironmentProvider {

  static final AtomicInteger INSTANCES = new AtomicInteger();
  static final AtomicInteger THROWN = new AtomicInteger();

  @Override
  public String name() {
    return "flaky-sokoban";
  }

  @Override
  public String description() {
    return "Sokoban that throws on a schedule (test fixture)";
  }

  @Override
  public Set<String> optionKeys() {
    return Set.of("fail-every", "preset", "train-size", "test-size");
  }

  @Override
  public Environment create(Map<String, String> options) {
    Map<String, String> sokoban = new HashMap<>(options);
    int failEvery = Integer.parseInt(sokoban.remove("fail-every"));
    Environment inner = new SokobanProvider().create(sokoban);
    boolean fails = INSTANCES.incrementAndGet() % failEvery == 0;
    return new Environment() {
      private int steps;

      @Override public String name() { return "flaky-sokoban"; }
      @Override public String instructions() { return inner.instructions(); }
      @Override public TaskSet tasks() { return inner.tasks(); }
      @Override public String reset(Task task) { steps = 0; return inner.reset(task); }
      @Override public EpisodeMetrics metrics() { return inner.metrics(); }
      @Override public String render() { return inner.render(); }

      @Override
      public StepResult step(String actionText) {
        if (fails && ++steps == 2) {
          THROWN.incrementAndGet();
          throw new IllegalStateException("scheduled environment failure");
        }
        return inner.step(actionText);
      }
    };
  }
}
