package io.skillsd.environments.miniappworld;

import io.skillsd.environments.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * AppWorld's two headline metrics over a set of task results. TGC (task goal completion) is the share of
 * tasks whose checks all passed; SGC (scenario goal completion) is the share of scenarios, a template's three
 * variants of one draw, whose tasks all passed.
 *
 * @param tasks tasks evaluated
 * @param tasksPassed tasks whose checks all passed
 * @param scenarios scenarios evaluated
 * @param scenariosPassed scenarios whose tasks all passed
 */
public record GoalCompletion(int tasks, int tasksPassed, int scenarios, int scenariosPassed) {

  public GoalCompletion {
    if (tasks < 0 || tasksPassed < 0 || tasksPassed > tasks || scenarios < 0 || scenariosPassed < 0
        || scenariosPassed > scenarios || scenarios > tasks) {
      throw new IllegalArgumentException("inconsistent counts: " + tasksPassed + "/" + tasks + " tasks, "
          + scenariosPassed + "/" + scenarios + " scenarios");
    }
  }

  /**
   * One task's outcome.
   *
   * @param taskId the task id
   * @param scenario the scenario it belongs to
   * @param passed whether every check passed
   */
  public record TaskResult(String taskId, String scenario, boolean passed) {
    public TaskResult {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(scenario, "scenario");
    }

    /** The result of a MiniAppWorld task, its scenario taken from the id. */
    public static TaskResult of(Task task, boolean passed) {
      return new TaskResult(task.id(), MiniAppWorld.scenarioOf(task), passed);
    }
  }

  /** TGC and SGC of {@code results}; a task listed twice is a caller error. */
  public static GoalCompletion of(List<TaskResult> results) {
    Map<String, Boolean> byTask = new LinkedHashMap<>();
    Map<String, Boolean> byScenario = new LinkedHashMap<>();
    for (TaskResult r : results) {
      if (byTask.put(r.taskId(), r.passed()) != null) {
        throw new IllegalArgumentException("task " + r.taskId() + " is listed twice");
      }
      byScenario.merge(r.scenario(), r.passed(), Boolean::logicalAnd);
    }
    int tasksPassed = (int) byTask.values().stream().filter(b -> b).count();
    int scenariosPassed = (int) byScenario.values().stream().filter(b -> b).count();
    return new GoalCompletion(byTask.size(), tasksPassed, byScenario.size(), scenariosPassed);
  }

  /** Task goal completion in [0, 1]; 0 when there are no tasks. */
  public double tgc() {
    return tasks == 0 ? 0.0 : tasksPassed / (double) tasks;
  }

  /** Scenario goal completion in [0, 1]; 0 when there are no scenarios. */
  public double sgc() {
    return scenarios == 0 ? 0.0 : scenariosPassed / (double) scenarios;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "TGC %.3f (%d/%d tasks), SGC %.3f (%d/%d scenarios)", tgc(),
        tasksPassed, tasks, sgc(), scenariosPassed, scenarios);
  }
}
