package io.skillsd.environments.miniappworld;

import io.skillsd.environments.Task;
import java.util.Map;
import java.util.Objects;

/**
 * Everything about one task: the public {@link Task}, its template and scenario, the instruction, the slot
 * values the instruction states, the initial state (never mutated: episodes copy it) and the hidden checks.
 */
record TaskSpec(Task task, TaskTemplate template, String scenario, String instruction, Map<String, String> slots,
    Database initial, TaskEvaluation evaluation) {

  TaskSpec {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(instruction, "instruction");
    slots = Map.copyOf(slots);
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(evaluation, "evaluation");
  }
}
