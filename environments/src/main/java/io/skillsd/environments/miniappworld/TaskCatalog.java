package io.skillsd.environments.miniappworld;

import io.skillsd.environments.Split;
import io.skillsd.environments.Task;
import io.skillsd.environments.TaskSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks of one world seed. Every template makes one scenario of three variants from draw 0; training
 * templates make a second scenario from draw 1, held out as new parameter draws. So the training split is
 * draw 0 of the training templates, and the test split is draw 0 of the held-out templates plus draw 1 of the
 * training templates. Task ids read {@code miniappworld/<split>/<template>/<draw>-<variant>}; the scenario
 * of a task is its id without the variant. Catalogs are immutable and cached per seed.
 */
final class TaskCatalog {

  static final int VARIANTS = 3;
  private static final Map<Long, TaskCatalog> CACHE = new ConcurrentHashMap<>();

  final World world;
  private final Map<String, TaskSpec> specs = new LinkedHashMap<>();
  private final TaskSet taskSet;

  private TaskCatalog(long seed) {
    world = WorldGenerator.generate(seed);
    List<Task> train = new ArrayList<>();
    List<Task> test = new ArrayList<>();
    for (int t = 0; t < Templates.ALL.size(); t++) {
      TaskTemplate template = Templates.ALL.get(t);
      int draws = template.heldOut() ? 1 : 2;
      for (int draw = 0; draw < draws; draw++) {
        Split split = template.heldOut() || draw > 0 ? Split.TEST : Split.TRAIN;
        for (int v = 0; v < VARIANTS; v++) {
          TaskSpec spec = build(seed, t, template, draw, v, split);
          specs.put(spec.task().id(), spec);
          (split == Split.TRAIN ? train : test).add(spec.task());
        }
      }
    }
    Comparator<Task> curriculum = Comparator.comparingInt(Task::difficulty);
    train.sort(curriculum);
    test.sort(curriculum);
    taskSet = new TaskSet(train, test);
  }

  static TaskCatalog of(long seed) {
    return CACHE.computeIfAbsent(seed, TaskCatalog::new);
  }

  /** A fresh catalog, bypassing the cache (for tests that prove regeneration is deterministic). */
  static TaskCatalog uncached(long seed) {
    return new TaskCatalog(seed);
  }

  TaskSet taskSet() {
    return taskSet;
  }

  Optional<TaskSpec> spec(String taskId) {
    return Optional.ofNullable(specs.get(taskId));
  }

  List<TaskSpec> specs() {
    return List.copyOf(specs.values());
  }

  /** The scenario of a task id: the id without its {@code -variant} suffix. */
  static String scenarioOf(String taskId) {
    int dash = taskId.lastIndexOf('-');
    return dash < 0 ? taskId : taskId.substring(0, dash);
  }

  private TaskSpec build(long seed, int t, TaskTemplate template, int draw, int variant, Split split) {
    long taskSeed = mix(mix(mix(mix(seed) + t) + draw) + variant);
    String id = "miniappworld/" + split.label() + "/" + template.name() + "/" + draw + "-" + variant;
    Database db = world.database().copy();
    TaskTemplate.Built built = template.build(world, db, new TaskTemplate.Draw(mix(mix(seed) + t),
        draw * VARIANTS + variant, taskSeed));
    Task task = new Task(id, split, taskSeed, template.difficulty());
    // the published initial state is a fresh copy that owns no table, so episodes on any thread only read it
    return new TaskSpec(task, template, scenarioOf(id), built.instruction(), built.slots(), db.copy(),
        built.evaluation());
  }

  /** SplitMix64's finalizer: spreads nearby inputs over all 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
