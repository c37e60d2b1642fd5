package io.skillsd.environments;

import java.util.Optional;

/**
 * A multi-turn text environment an agent plays.
 *
 * <p>Contract (see {@code ENVIRONMENTS.md}): {@link #reset(Task)} gives the first observation; the same task
 * gives the same episode on every JVM. {@link #step(String)} parses the model's raw text with the
 * environment's own action parser and never throws on bad text: an unparseable or unknown action is a
 * penalized turn with {@code actionValid = false}. An instance is single-threaded and holds one episode at a
 * time; create one per concurrent episode. {@link EnvironmentContract} checks an implementation against this
 * contract ({@code ./skillsd env NAME --check}).
 */
public interface Environment {

  /** The registry name, e.g. {@code sokoban}. */
  String name();

  /** The instruction prompt: the rules and the answer format, shown before the first observation. */
  String instructions();

  /** The task set this instance was configured with (training and held-out splits, fixed seeds). */
  TaskSet tasks();

  /** Starts a new episode of {@code task} and returns its first observation. */
  String reset(Task task);

  /** Applies the model's raw text for one turn. Never throws on malformed text. */
  StepResult step(String actionText);

  /** Success and completion of the current episode so far. */
  EpisodeMetrics metrics();

  /** The current state as text (the same rendering observations use). */
  String render();

  /**
   * Wraps one plain action (as a person would type it on the command line, e.g. {@code Up}) into the text
   * a model would produce for it, so scripted replays go through the real parser.
   */
  default String formatAction(String plainAction) {
    return plainAction;
  }

  /**
   * An ad-hoc task generated from {@code seed} outside the fixed splits (e.g. {@code ./skillsd env sokoban
   * --seed 7}), where the environment can make one from a seed alone.
   */
  default Optional<Task> taskForSeed(long seed) {
    return Optional.empty();
  }

  /**
   * What {@code task} has in common with the tasks alike enough to share skills (e.g. Sokoban: where the boxes
   * and targets lie relative to the player), so that a skill learned on one can guide another; empty when the
   * environment has no such notion. Tasks with equal keys share one skill buffer under {@code
   * skillsd.train.skill-retrieval = similar}. The key must follow from what the agent is shown of the task,
   * not from its solution.
   */
  default Optional<String> similarityKey(Task task) {
    return Optional.empty();
  }

  /** A scripted or planning agent that solves this environment's tasks, when the environment has one. */
  default Optional<ReferenceAgent> referenceAgent() {
    return Optional.empty();
  }
}
