package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.skillsd.environments.Environment;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripted reference agent: for each template it knows the recipe (which apps and APIs, in which order)
 * and reads the instruction's slot values, but it learns ids, tokens, emails and note contents only from the
 * observations it receives, through {@link Script}'s replay. It explores as a model would: it reads an app's
 * API list before logging in. An error observation means a broken recipe or world and fails loudly.
 */
public final class ReferenceSolver implements ReferenceAgent {

  private TaskSpec spec;
  private final List<JsonNode> observations = new ArrayList<>();
  private boolean awaitingResult;

  @Override
  public void begin(Environment environment, Task task, String firstObservation) {
    if (!(environment instanceof MiniAppWorld world)) {
      throw new IllegalArgumentException("the MiniAppWorld reference agent plays only miniappworld, not "
          + environment.name());
    }
    spec = world.spec(task);
    observations.clear();
    awaitingResult = false;
  }

  @Override
  public String act(String observation) {
    if (spec == null) {
      throw new IllegalStateException("call begin first");
    }
    if (awaitingResult) {
      try {
        observations.add(ToolCall.MAPPER.readTree(observation));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("task " + spec.task().id() + ": expected a JSON result, got: " + observation, e);
      }
    }
    try {
      spec.template().solve(new Script(observations), spec.slots());
    } catch (Script.NextCall next) {
      awaitingResult = true;
      return next.call.toJson();
    }
    throw new IllegalStateException("task " + spec.task().id() + ": the recipe has no call left");
  }
}
