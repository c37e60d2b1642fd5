package io.skillsd.environments;

/**
 * A scripted or planning agent that plays an environment through its public text interface. It is the
 * test oracle that proves tasks solvable; environments also use it to print a plan ({@code ./skillsd env
 * … --solve}).
 */
public interface ReferenceAgent {

  /** Called after {@link Environment#reset(Task)}; the agent may inspect the environment it plays. */
  void begin(Environment environment, Task task, String firstObservation);

  /** The raw text of the next turn, exactly as a model would write it. */
  String act(String observation);
}
