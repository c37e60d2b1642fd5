package io.skillsd.examples.guessnumber;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentProvider;
import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Split;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.TaskSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An environment from outside skillsd, built as its own jar: written only against the SPI of
 * {@code skillsd-environments} and listed in its own {@code META-INF/services} file. Put the jar on the class
 * path ({@code SKILLSD_CLASSPATH=examples/guess-number/target/guess-number.jar ./skillsd env --list}) and
 * {@code -D skillsd.environment.name=guess-number} trains on it. The agent guesses a number from 0 to 99 in at
 * most 7 turns; each wrong guess is answered {@code higher} or {@code lower}.
 */
public final class GuessNumberProvider implements EnvironmentProvider {

  @Override
  public String name() {
    return "guess-number";
  }

  @Override
  public String description() {
    return "Guess a number from 0 to 99 with higher/lower hints (example plug-in)";
  }

  @Override
  public Set<String> optionKeys() {
    return Set.of("max-turns");
  }

  @Override
  public Environment create(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!optionKeys().contains(key)) {
        throw new IllegalArgumentException("unknown guess-number option '" + key + "' = '" + options.get(key)
            + "' (allowed keys: max-turns)");
      }
    }
    return new GuessNumber(Integer.parseInt(options.getOrDefault("max-turns", "7")));
  }

  /** The environment: the secret is the task seed modulo 100. */
  static final class GuessNumber implements Environment {
    private final int maxTurns;
    private int secret = -1;
    private int turns;
    private boolean found;

    GuessNumber(int maxTurns) {
      this.maxTurns = maxTurns;
    }

    @Override
    public String name() {
      return "guess-number";
    }

    @Override
    public String instructions() {
      return "Guess the number from 0 to 99. Answer with the number only.";
    }

    @Override
    public TaskSet tasks() {
      return new TaskSet(List.of(new Task("guess/train/0", Split.TRAIN, 17, 1)),
          List.of(new Task("guess/test/0", Split.TEST, 64, 1)));
    }

    @Override
    public String reset(Task task) {
      secret = (int) Math.floorMod(task.seed(), 100L);
      turns = 0;
      found = false;
      return "Guess a number.";
    }

    @Override
    public StepResult step(String actionText) {
      turns++;
      int guess;
      try {
        guess = Integer.parseInt(actionText.strip());
      } catch (NumberFormatException e) {
        return result("not a number", -0.1, false, false);
      }
      found = guess == secret;
      String obs = found ? "correct" : guess < secret ? "higher" : "lower";
      return result(obs, found ? 1.0 : 0.0, true, true);
    }

    private StepResult result(String observation, double reward, boolean valid, boolean effective) {
      return new StepResult(observation, reward, found || turns >= maxTurns, Map.of(StepResult.SUCCESS, found,
          StepResult.ACTION_VALID, valid, StepResult.ACTION_EFFECTIVE, effective));
    }

    @Override
    public EpisodeMetrics metrics() {
      return new EpisodeMetrics(found, found ? 1.0 : 0.0);
    }

    @Override
    public String render() {
      return found ? "found" : "searching";
    }

    @Override
    public Optional<ReferenceAgent> referenceAgent() {
      return Optional.of(new Bisection());
    }
  }

  /** Binary search over the hints. */
  static final class Bisection implements ReferenceAgent {
    private int lo;
    private int hi;
    private int last;

    @Override
    public void begin(Environment environment, Task task, String firstObservation) {
      lo = 0;
      hi = 99;
    }

    @Override
    public String act(String observation) {
      if (observation.equals("higher")) {
        lo = last + 1;
      } else if (observation.equals("lower")) {
        hi = last - 1;
      }
      last = (lo + hi) / 2;
      return Integer.toString(last);
    }
  }
}
