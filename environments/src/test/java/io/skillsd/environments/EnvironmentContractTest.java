package io.skillsd.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.environments.EnvironmentContract.Check;
import io.skillsd.environments.EnvironmentContract.Report;
import io.skillsd.environments.EnvironmentContract.Status;
import io.skillsd.environments.miniappworld.MiniAppWorldProvider;
import io.skillsd.environments.sokoban.SokobanProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** skillsd's own environments keep the contract; each kind of defect is caught by the check meant for it. */
class EnvironmentContractTest {

  @Test
  void theBuiltInEnvironmentsKeepTheContractWithoutWarnings() {
    for (Report report : List.of(EnvironmentContract.check(new SokobanProvider(), Map.of()),
        EnvironmentContract.check(new SokobanProvider(), Map.of("preset", "skill-sd")),
        EnvironmentContract.check(new MiniAppWorldProvider(), Map.of()))) {
      assertTrue(report.passed(), report.describe());
      assertTrue(report.checks().stream().allMatch(c -> c.status() == Status.OK), report.describe());
      assertEquals(12, report.checks().size(), report.describe());
    }
  }

  @Test
  void aSoundFixtureKeepsItToo() {
    Report report = check(EnumSet.noneOf(Defect.class));
    assertTrue(report.checks().stream().allMatch(c -> c.status() == Status.OK), report.describe());
  }

  @Test
  void throwingOnMalformedTextFails() {
    Report report = check(EnumSet.of(Defect.THROWS_ON_BAD_TEXT));
    assertFalse(report.passed());
    assertCheck(report, "malformed text", Status.FAIL, "never an exception");
  }

  @Test
  void instancesThatShareStateFail() {
    Report report = check(EnumSet.of(Defect.STATIC_STATE));
    assertFalse(report.passed());
    assertCheck(report, "independence", Status.FAIL, "share state");
    assertCheck(report, "determinism", Status.OK, "alike");
  }

  @Test
  void episodesThatDependOnMoreThanTheTaskFail() {
    Report report = check(EnumSet.of(Defect.NONDETERMINISTIC));
    assertCheck(report, "reset", Status.FAIL, "different first observations");
    assertCheck(report, "determinism", Status.FAIL, "differ at turn 0");
  }

  @Test
  void repeatedTaskIdsFail() {
    assertCheck(check(EnumSet.of(Defect.REPEATED_IDS)), "tasks", Status.FAIL, "task ids repeat (fixture/train/0)");
  }

  @Test
  void aProviderWhoseEnvironmentGoesByAnotherNameFails() {
    assertCheck(check(EnumSet.of(Defect.OTHER_NAME)), "create", Status.FAIL, "its environment says 'other'");
  }

  @Test
  void legalButDoubtfulBehaviourWarns() {
    Report endless = check(EnumSet.of(Defect.NEVER_ENDS));
    assertTrue(endless.passed(), endless.describe());
    assertCheck(endless, "episode end", Status.WARN, "has not ended after 1000 turns");

    assertCheck(check(EnumSet.of(Defect.ANY_TEXT_VALID)), "malformed text", Status.WARN, "taken as valid actions");
    assertCheck(check(EnumSet.of(Defect.RESET_KEEPS_TURNS)), "restart", Status.WARN, "reset must restart");
    assertCheck(check(EnumSet.of(Defect.NO_TEST_TASKS)), "tasks", Status.WARN, "no held-out evaluation");
  }

  @Test
  void aCheckThatThrowsIsAFailureNotACrash() {
    Report report = check(EnumSet.of(Defect.RENDER_THROWS));
    assertCheck(report, "reset", Status.FAIL, "threw java.lang.IllegalStateException: no renderer");
    assertEquals(12, report.checks().size(), "the other checks still ran: " + report.describe());
  }

  private static void assertCheck(Report report, String name, Status status, String detail) {
    Check c = report.checks().stream().filter(x -> x.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no check '" + name + "' in\n" + report.describe()));
    assertEquals(status, c.status(), report.describe());
    assertTrue(c.detail().contains(detail), c.detail());
  }

  private enum Defect {
    THROWS_ON_BAD_TEXT, STATIC_STATE, NONDETERMINISTIC, REPEATED_IDS, OTHER_NAME, NEVER_ENDS, ANY_TEXT_VALID,
    RESET_KEEPS_TURNS, NO_TEST_TASKS, RENDER_THROWS
  }

  private static Report check(Set<Defect> defects) {
    return EnvironmentContract.check(new EnvironmentProvider() {
      @Override
      public String name() {
        return "fixture";
      }

      @Override
      public String description() {
        return "guess a digit, with the defects under test";
      }

      @Override
      public Set<String> optionKeys() {
        return Set.of();
      }

      @Override
      public Environment create(Map<String, String> options) {
        return new Fixture(defects);
      }
    }, Map.of());
  }

  /** Guess the task's digit in at most 5 turns; the defects break the contract one way each. */
  private static final class Fixture implements Environment {
    private static int sharedSecret;
    private static int resets;
    private final Set<Defect> defects;
    private int secret;
    private int turns;
    private boolean found;

    Fixture(Set<Defect> defects) {
      this.defects = defects;
    }

    @Override
    public String name() {
      return defects.contains(Defect.OTHER_NAME) ? "other" : "fixture";
    }

    @Override
    public String instructions() {
      return "Answer with one digit.";
    }

    @Override
    public TaskSet tasks() {
      List<Task> train = List.of(new Task("fixture/train/0", Split.TRAIN, 3, 1),
          new Task(defects.contains(Defect.REPEATED_IDS) ? "fixture/train/0" : "fixture/train/1", Split.TRAIN, 8, 1));
      List<Task> test = defects.contains(Defect.NO_TEST_TASKS) ? List.of()
          : List.of(new Task("fixture/test/0", Split.TEST, 5, 1));
      return new TaskSet(train, test);
    }

    @Override
    public String reset(Task task) {
      int digit = (int) (task.seed() % 10);
      if (defects.contains(Defect.STATIC_STATE)) {
        sharedSecret = digit;
      }
      secret = digit;
      if (!defects.contains(Defect.RESET_KEEPS_TURNS)) {
        turns = 0;
      }
      found = false;
      return defects.contains(Defect.NONDETERMINISTIC) ? "guess (reset " + ++resets + ")" : "guess";
    }

    @Override
    public StepResult step(String actionText) {
      turns++;
      int guess;
      boolean valid = true;
      try {
        guess = Integer.parseInt(actionText.strip());
      } catch (NumberFormatException e) {
        if (defects.contains(Defect.THROWS_ON_BAD_TEXT)) {
          throw e;
        }
        guess = -1;
        valid = defects.contains(Defect.ANY_TEXT_VALID);
      }
      int target = defects.contains(Defect.STATIC_STATE) ? sharedSecret : secret;
      found = guess == target;
      boolean done = found || (!defects.contains(Defect.NEVER_ENDS) && turns >= 5);
      String observation = found ? "correct" : guess < target ? "higher" : "lower";
      return new StepResult(observation + " after " + turns, valid ? 0.0 : -0.1, done,
          Map.of(StepResult.SUCCESS, found, StepResult.ACTION_VALID, valid, StepResult.ACTION_EFFECTIVE, valid));
    }

    @Override
    public EpisodeMetrics metrics() {
      return new EpisodeMetrics(found, found ? 1.0 : 0.0);
    }

    @Override
    public String render() {
      if (defects.contains(Defect.RENDER_THROWS)) {
        throw new IllegalStateException("no renderer");
      }
      return found ? "found" : "searching";
    }

    @Override
    public Optional<ReferenceAgent> referenceAgent() {
      return Optional.of(new ReferenceAgent() {
        private int next;

        @Override
        public void begin(Environment environment, Task task, String firstObservation) {
          next = 0;
        }

        @Override
        public String act(String observation) {
          return Integer.toString(next++ * 3 % 10); // 0, 3, 6, 9, 2: finds 3, not always 8
        }
      });
    }
  }
}
