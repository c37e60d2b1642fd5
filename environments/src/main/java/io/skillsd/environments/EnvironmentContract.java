package io.skillsd.environments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks an environment against the contract every skillsd environment keeps ({@link Environment}): the same
 * task plays the same episode on every instance, malformed text is a penalized turn and never an exception,
 * instances share no state (skillsd plays one instance per concurrent episode), task ids are unique, and so
 * on. {@code ./skillsd env NAME --check} prints the report; a plug-in's own tests can call {@link #check} and
 * assert {@link Report#passed()}.
 *
 * <p>A {@link Status#FAIL} breaks training (a crash, a run that does not reproduce, episodes that corrupt
 * each other); a {@link Status#WARN} is legal but probably not meant (malformed text taken as valid, an
 * episode that never ends by itself).
 */
public final class EnvironmentContract {

  /** Turns an episode of malformed answers may take before it is reported as never ending. */
  public static final int TURN_BOUND = 1_000;

  /** Texts no environment should take for a well-formed action; each must be a turn, not an exception. */
  static final List<String> MALFORMED = List.of("", "   ", "\u0000", "?? \u00fc \ud83d\ude42", "a".repeat(20_000),
      "{\"name\": ", "<answer></answer>", "null");

  public enum Status { OK, WARN, FAIL }

  /** One checked property: its name, its verdict and what was seen. */
  public record Check(Status status, String name, String detail) {}

  /** Every check of one environment, in the order they ran. */
  public record Report(String environment, List<Check> checks) {
    public Report {
      checks = List.copyOf(checks);
    }

    /** No check failed (warnings allowed). */
    public boolean passed() {
      return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
    }

    /** One line per check, as {@code ./skillsd env NAME --check} prints them. */
    public String describe() {
      int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(8);
      StringBuilder out = new StringBuilder();
      for (Check c : checks) {
        out.append(String.format("%-4s  %-" + width + "s  %s%n", c.status(), c.name(), c.detail()));
      }
      return out.toString();
    }
  }

  private EnvironmentContract() {}

  private interface Probe {
    Check run() throws Exception;
  }

  /** Checks the environments {@code provider} creates with {@code options}. */
  public static Report check(EnvironmentProvider provider, Map<String, String> options) {
    Objects.requireNonNull(provider, "provider");
    List<Check> checks = new ArrayList<>();
    Environment probe;
    try {
      probe = provider.create(options);
      Objects.requireNonNull(probe, "create returned null");
    } catch (RuntimeException e) {
      checks.add(new Check(Status.FAIL, "create", "create(" + options + ") threw " + e));
      return new Report(provider.name(), checks);
    }
    Contract c = new Contract(provider, options, probe);
    checks.add(guard("create", c::create));
    checks.add(guard("instructions", c::instructions));
    checks.add(guard("tasks", c::tasks));
    if (c.first == null) {
      return new Report(provider.name(), checks); // nothing to play
    }
    checks.add(guard("reset", c::reset));
    checks.add(guard("malformed text", c::malformed));
    checks.add(guard("episode end", c::episodeEnd));
    checks.add(guard("determinism", c::determinism));
    checks.add(guard("independence", c::independence));
    checks.add(guard("restart", c::restart));
    checks.add(guard("metrics", c::metrics));
    checks.add(guard("reference agent", c::referenceAgent));
    checks.add(guard("similarity key", c::similarityKey));
    return new Report(provider.name(), checks);
  }

  private static Check guard(String name, Probe probe) {
    try {
      Check c = probe.run();
      return new Check(c.status(), name, c.detail());
    } catch (Exception | AssertionError | LinkageError | StackOverflowError e) {
      return new Check(Status.FAIL, name, "threw " + e);
    }
  }

  private static Check ok(String detail) {
    return new Check(Status.OK, "", detail);
  }

  private static Check warn(String detail) {
    return new Check(Status.WARN, "", detail);
  }

  private static Check fail(String detail) {
    return new Check(Status.FAIL, "", detail);
  }

  /** What one turn gave, compared between instances. */
  private record Seen(String observation, double reward, boolean done, Map<String, Object> info) {
    static Seen of(StepResult r) {
      return new Seen(r.observation(), r.reward(), r.done(), r.info());
    }

    /** An episode's start: its first observation. */
    static Seen start(Environment env, Task task) {
      return new Seen(env.reset(task), 0, false, Map.of());
    }
  }

  /** The state the checks share: the provider, its options, and the tasks and script they play. */
  private static final class Contract {
    private final EnvironmentProvider provider;
    private final Map<String, String> options;
    private final Environment probe;
    Task first;
    Task second;
    private List<String> script;

    Contract(EnvironmentProvider provider, Map<String, String> options, Environment probe) {
      this.provider = provider;
      this.options = options;
      this.probe = probe;
    }

    private Environment fresh() {
      return Objects.requireNonNull(provider.create(options), "create returned null");
    }

    Check create() {
      if (!provider.name().equals(probe.name())) {
        return fail("the provider is named '" + provider.name() + "' but its environment says '" + probe.name()
            + "': trajectories and skills are filed under name()");
      }
      return ok("two instances created, both named '" + probe.name() + "'");
    }

    Check instructions() {
      String text = probe.instructions();
      if (text == null || text.isBlank()) {
        return warn("instructions() is empty: the model is shown no rules and no answer format");
      }
      return ok(text.length() + " characters");
    }

    Check tasks() {
      TaskSet set = probe.tasks();
      List<Task> all = Stream.concat(set.train().stream(), set.test().stream()).toList();
      Set<String> ids = new HashSet<>();
      List<String> repeated = new ArrayList<>();
      for (Task t : all) {
        if (!ids.add(t.id())) {
          repeated.add(t.id());
        }
      }
      if (!repeated.isEmpty()) {
        return fail("task ids repeat (" + String.join(", ", repeated.subList(0, Math.min(5, repeated.size())))
            + "): skills, groups and trajectories are keyed by id");
      }
      if (!set.equals(fresh().tasks())) {
        return fail("two instances with the same options list different tasks");
      }
      if (!all.isEmpty()) {
        first = all.get(0);
        second = all.size() > 1 ? all.get(1) : all.get(0);
      }
      if (set.train().isEmpty()) {
        return fail("no training tasks: there is nothing to train on");
      }
      String counts = set.train().size() + " train, " + set.test().size() + " test, ids unique";
      return set.test().isEmpty() ? warn(counts + "; no test tasks, so no held-out evaluation") : ok(counts);
    }

    Check reset() {
      List<Task> some = new ArrayList<>();
      TaskSet set = probe.tasks();
      some.addAll(set.train().subList(0, Math.min(3, set.train().size())));
      some.addAll(set.test().subList(0, Math.min(3, set.test().size())));
      Environment a = fresh();
      Environment b = fresh();
      for (Task t : some) {
        String x = a.reset(t);
        String y = b.reset(t);
        if (x == null) {
          return fail("reset(" + t.id() + ") returned null");
        }
        if (!x.equals(y)) {
          return fail("reset(" + t.id() + ") gave two instances different first observations: the same task must "
              + "give the same episode everywhere (derive everything from the task's seed)");
        }
        Objects.requireNonNull(a.render(), "render() returned null");
      }
      return ok(some.size() + " tasks: the same first observation on two instances; render() answers");
    }

    Check malformed() {
      Environment env = fresh();
      env.reset(first);
      List<String> takenAsValid = new ArrayList<>();
      for (String text : MALFORMED) {
        StepResult r;
        try {
          r = env.step(text);
        } catch (RuntimeException e) {
          return fail("step(" + shown(text) + ") threw " + e + ": malformed text must be a penalized turn "
              + "(actionValid = false), never an exception");
        }
        if (r.observation() == null || !Double.isFinite(r.reward())) {
          return fail("step(" + shown(text) + ") gave " + (r.observation() == null ? "a null observation"
              : "the reward " + r.reward()));
        }
        if (r.actionValid()) {
          takenAsValid.add(shown(text));
        }
        if (r.done()) {
          env.reset(first);
        }
      }
      if (!takenAsValid.isEmpty()) {
        return warn("taken as valid actions: " + String.join(", ", takenAsValid) + " (an answer the environment "
            + "cannot parse should be actionValid = false, so a format penalty applies)");
      }
      return ok(MALFORMED.size() + " malformed answers: each a turn with actionValid = false");
    }

    Check episodeEnd() {
      Environment env = fresh();
      env.reset(first);
      for (int turn = 1; turn <= TURN_BOUND; turn++) {
        if (env.step("").done()) {
          return ok("an episode of empty answers ends after " + turns(turn));
        }
      }
      return warn("an episode of empty answers has not ended after " + TURN_BOUND + " turns: it runs until the "
          + "model's context is full unless skillsd.train.max-turns caps it");
    }

    /** The texts the checks replay: the reference agent's answers on the first task, else malformed ones. */
    private List<String> script() {
      if (script == null) {
        List<String> texts = new ArrayList<>();
        Optional<ReferenceAgent> agent = probe.referenceAgent();
        if (agent.isPresent()) {
          Environment env = fresh();
          String observation = env.reset(first);
          agent.get().begin(env, first, observation);
          for (int turn = 0; turn < 50; turn++) {
            String text = agent.get().act(observation);
            texts.add(text);
            StepResult r = env.step(text);
            observation = r.observation();
            if (r.done()) {
              break;
            }
          }
        }
        texts.addAll(MALFORMED.subList(0, 3));
        script = List.copyOf(texts);
      }
      return script;
    }

    /** One instance playing {@code task} with {@code texts} until the episode ends. */
    private List<Seen> play(Environment env, Task task, List<String> texts) {
      List<Seen> seen = new ArrayList<>();
      seen.add(Seen.start(env, task));
      for (String text : texts) {
        StepResult r = env.step(text);
        seen.add(Seen.of(r));
        if (r.done()) {
          break;
        }
      }
      return seen;
    }

    Check determinism() {
      List<Seen> a = play(fresh(), first, script());
      List<Seen> b = play(fresh(), first, script());
      int at = firstDifference(a, b);
      if (at >= 0) {
        return fail("two instances playing " + first.id() + " with the same answers differ at turn " + at
            + ": an episode must follow from the task and the answers alone");
      }
      return ok(first.id() + ": " + turns(a.size() - 1) + " alike on two instances");
    }

    Check independence() {
      List<String> other = MALFORMED.subList(0, 4);
      List<Seen> alone = play(fresh(), first, script());
      List<Seen> otherAlone = play(fresh(), second, other);
      Environment a = fresh();
      Environment b = fresh();
      List<Seen> x = new ArrayList<>();
      List<Seen> y = new ArrayList<>();
      x.add(Seen.start(a, first));
      y.add(Seen.start(b, second));
      int n = Math.max(alone.size(), otherAlone.size()) - 1;
      for (int i = 0; i < n; i++) { // turn by turn, each until its episode ends
        if (i < alone.size() - 1) {
          x.add(Seen.of(a.step(script().get(i))));
        }
        if (i < otherAlone.size() - 1) {
          y.add(Seen.of(b.step(other.get(i))));
        }
      }
      if (firstDifference(alone, x) >= 0 || firstDifference(otherAlone, y) >= 0) {
        return fail("two instances played side by side (" + first.id() + " and " + second.id() + ") differ from "
            + "the same episodes played alone: instances share state (static fields?); skillsd runs one "
            + "instance per concurrent episode");
      }
      return ok("two instances side by side play as they do alone");
    }

    Check restart() {
      Environment env = fresh();
      play(env, second, MALFORMED.subList(0, 2));
      List<Seen> again = play(env, first, script());
      if (firstDifference(play(fresh(), first, script()), again) >= 0) {
        return warn("reset(" + first.id() + ") on an instance that played another episode does not give what a "
            + "fresh instance gives: reset must restart every piece of episode state");
      }
      return ok("reset restarts an instance completely");
    }

    Check metrics() {
      Environment env = fresh();
      env.reset(first);
      StepResult last = null;
      for (String text : script()) {
        last = env.step(text);
        EpisodeMetrics m = Objects.requireNonNull(env.metrics(), "metrics() returned null");
        if (m.success() != last.success()) {
          return warn("after a turn, info says success = " + last.success() + " but metrics() says "
              + m.success() + ": both describe the same episode");
        }
        if (last.done()) {
          break;
        }
      }
      return ok("metrics() agrees with each turn's info" + (last == null ? "" : "; completion "
          + env.metrics().completion() + " at the end of " + first.id()));
    }

    Check referenceAgent() {
      Optional<ReferenceAgent> agent = probe.referenceAgent();
      if (agent.isEmpty()) {
        return ok("none (optional: it proves tasks solvable and serves ./skillsd env --solve)");
      }
      List<Task> train = probe.tasks().train();
      int n = Math.min(8, train.size());
      int solved = 0;
      Environment env = fresh();
      for (Task t : train.subList(0, n)) {
        Trajectory played = Episodes.play(env, t, agent.get(), TURN_BOUND);
        solved += played.metrics().success() ? 1 : 0;
      }
      String detail = "solved " + solved + " of the first " + n + " training tasks";
      return solved == 0 ? warn(detail) : ok(detail);
    }

    Check similarityKey() {
      List<Task> train = probe.tasks().train();
      List<Task> some = train.subList(0, Math.min(256, train.size()));
      Environment other = fresh();
      Set<String> keys = new HashSet<>();
      int keyed = 0;
      for (Task t : some) {
        Optional<String> key = probe.similarityKey(t);
        if (!key.equals(other.similarityKey(t))) {
          return fail("similarityKey(" + t.id() + ") differs between two instances");
        }
        if (key.isPresent()) {
          keyed++;
          keys.add(key.get());
        }
      }
      if (keyed == 0) {
        return ok("none: each task keeps its own skills under skill-retrieval = similar");
      }
      return ok(keyed + " of " + some.size() + " training tasks keyed, " + keys.size() + " distinct keys");
    }

    private static String turns(int n) {
      return n + (n == 1 ? " turn" : " turns");
    }

    private static int firstDifference(List<Seen> a, List<Seen> b) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) {
          return i;
        }
      }
      return -1;
    }

    private static String shown(String text) {
      String s = text.length() > 24 ? text.substring(0, 12) + "…(" + text.length() + " chars)" : text;
      return "\"" + s.replace("\u0000", "\\0") + "\"";
    }
  }
}
