package io.skillsd.environments;

import java.util.List;
import java.util.Optional;

/** The tasks of an environment, per split, in their fixed order (training tasks in curriculum order). */
public record TaskSet(List<Task> train, List<Task> test) {
  public TaskSet {
    train = List.copyOf(train);
    test = List.copyOf(test);
    for (Task t : train) {
      if (t.split() != Split.TRAIN) {
        throw new IllegalArgumentException("task " + t.id() + " is in the train list but its split is " + t.split());
      }
    }
    for (Task t : test) {
      if (t.split() != Split.TEST) {
        throw new IllegalArgumentException("task " + t.id() + " is in the test list but its split is " + t.split());
      }
    }
  }

  public List<Task> split(Split split) {
    return split == Split.TRAIN ? train : test;
  }

  public Optional<Task> byId(String id) {
    return java.util.stream.Stream.concat(train.stream(), test.stream()).filter(t -> t.id().equals(id)).findFirst();
  }
}
