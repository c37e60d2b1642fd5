package io.skillsd.environments.miniappworld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A task template: it turns the base world into one task's initial state (adding the rows the task is
 * about), writes the instruction from slots filled from that state, derives the hidden evaluation from it,
 * and knows the recipe the reference agent follows.
 */
interface TaskTemplate {

  /** Stable name, part of task ids, e.g. {@code pay_request}. */
  String name();

  /** 1 to 3, by the number of apps and calls needed. */
  int difficulty();

  /** Whether the template is held out of training entirely. */
  boolean heldOut();

  /** The apps the task needs besides supervisor and api_docs. */
  List<String> apps();

  /** Prepares {@code db} (a copy of the base world's) for one task and returns its instruction and checks. */
  Built build(World world, Database db, Draw draw);

  /** The reference recipe: solves the task through {@code script} using only the instruction's slots. */
  void solve(Script script, Map<String, String> slots);

  /** What {@link #build} returns. {@code slots} hold only values the instruction states. */
  record Built(String instruction, Map<String, String> slots, TaskEvaluation evaluation) {
    public Built {
      Objects.requireNonNull(instruction, "instruction");
      slots = Map.copyOf(slots);
      Objects.requireNonNull(evaluation, "evaluation");
    }
  }

  /**
   * The random choices of one task. {@link #pick(List)} chooses with a shuffle seeded by the template alone
   * and takes element {@code index = draw * 3 + variant}, so the variants of a scenario, and the training
   * and held-out draws, get different parameters whenever there are enough candidates; {@link #random} is
   * the task's own generator for amounts and dates.
   */
  final class Draw {
    final int index;
    final Random random;
    private final long templateSeed;
    private int picks;

    Draw(long templateSeed, int index, long taskSeed) {
      this.templateSeed = templateSeed;
      this.index = index;
      this.random = new Random(taskSeed);
    }

    <T> T pick(List<T> candidates) {
      if (candidates.isEmpty()) {
        throw new IllegalStateException("nothing to pick from");
      }
      List<T> copy = new ArrayList<>(candidates);
      Collections.shuffle(copy, new Random(templateSeed * 31 + picks++));
      return copy.get(index % copy.size());
    }

    /** A dollar amount between {@code lo} and {@code hi} in steps of 25 cents. */
    double amount(int lo, int hi) {
      return (lo * 4 + random.nextInt((hi - lo) * 4 + 1)) / 4.0;
    }
  }
}
