package io.skillsd.actors.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentContract;
import io.skillsd.environments.EnvironmentProvider;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.Split;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.Trajectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skillsd env}: script an environment from the shell. Renders a level or task, replays actions
 * (printing one JSON object per step), lists tasks, or plays the environment's reference agent.
 */
@Command(name = "env", description = "Inspect and script an environment: render, replay actions, list tasks, solve, check the contract.",
    footer = {"", "Examples:",
        "  skillsd env sokoban --preset ragen --seed 7 --render",
        "  skillsd env sokoban --preset ragen --seed 7 --actions \"Up,Left || Left\"",
        "  skillsd env sokoban --preset skill-sd --task sokoban/skill-sd/test/000 --solve",
        "  skillsd env miniappworld --task <id> --actions-file calls.jsonl"})
final class EnvCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ENVIRONMENT", description = "Environment name (see --list).")
  String name;

  @Option(names = "--list", description = "List the environments on the class path.")
  boolean list;

  @Option(names = "--preset", description = "Shorthand for -o preset=<value>.")
  String preset;

  @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "An environment option (repeatable).")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--seed", description = "Play an ad-hoc task generated from this seed.")
  Long seed;

  @Option(names = "--task", description = "Play this task of the task set (see --tasks).")
  String taskId;

  @Option(names = "--tasks", paramLabel = "SPLIT", description = "List the task ids of a split (train or test).")
  String tasksSplit;

  @Option(names = "--render", description = "Print the instructions and the first observation.")
  boolean render;

  @Option(names = "--actions", description = "Comma-separated turns to replay, each one or more actions joined by '||'.")
  String actions;

  @Option(names = "--actions-file", description = "A file with one turn per line: raw model text as a JSON string, or a JSON object (tool call).")
  Path actionsFile;

  @Option(names = "--solve", description = "Play the environment's reference agent and print its turns as JSON lines.")
  boolean solve;

  @Option(names = "--check", description = "Check the environment against the contract of every skillsd "
      + "environment (determinism, malformed text, independent instances, ...): one line per check, exit 1 on a failure.")
  boolean check;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    EnvironmentRegistry registry = EnvironmentRegistry.load();
    if (list || name == null) {
      for (String n : registry.names()) {
        EnvironmentProvider p = registry.provider(n);
        out.printf("%-14s %s (options: %s)%s%n", n, p.description(), String.join(", ", new TreeSet<>(p.optionKeys())),
            registry.origin(n).map(o -> " from " + o).orElse(""));
      }
      return 0;
    }
    Map<String, String> opts = new LinkedHashMap<>(options);
    if (preset != null) {
      opts.put("preset", preset);
    }
    if (check) {
      EnvironmentContract.Report report = EnvironmentContract.check(registry.provider(name), opts);
      out.print(report.describe());
      out.println(report.passed() ? "The environment keeps the contract." : "The environment breaks the contract.");
      return report.passed() ? 0 : 1;
    }
    Environment env = registry.create(name, opts);
    if (tasksSplit != null) {
      for (Task t : env.tasks().split(Split.parse(tasksSplit))) {
        out.printf("%s\tseed=%d\tdifficulty=%d%n", t.id(), t.seed(), t.difficulty());
      }
      return 0;
    }
    Task task = chooseTask(env);
    if (solve) {
      ReferenceAgent agent = env.referenceAgent()
          .orElseThrow(() -> new UserError("environment '" + name + "' has no reference agent", 2));
      Trajectory t = Episodes.play(env, task, agent, 10_000);
      if (render) {
        out.println(env.instructions());
        out.println();
        out.println(t.firstObservation());
      }
      int turn = 1;
      for (Trajectory.Turn tr : t.turns()) {
        out.println(stepJson(turn++, tr.actionText(), tr.result()));
      }
      out.println(JSON.writeValueAsString(Map.of("task", task.id(), "success", t.metrics().success(),
          "completion", t.metrics().completion(), "turns", t.turns().size(), "return", t.totalReward())));
      return 0;
    }
    String first = env.reset(task);
    if (render || (actions == null && actionsFile == null)) {
      out.println(env.instructions());
      out.println();
      out.println(first);
    }
    List<String> turns = turnsToReplay(env);
    int turn = 1;
    for (String text : turns) {
      StepResult r = env.step(text);
      out.println(stepJson(turn++, text, r));
      if (r.done()) {
        break;
      }
    }
    if (!turns.isEmpty()) {
      out.println(JSON.writeValueAsString(Map.of("task", task.id(), "success", env.metrics().success(),
          "completion", env.metrics().completion())));
    }
    return 0;
  }

  private Task chooseTask(Environment env) {
    if (seed != null && taskId != null) {
      throw new UserError("give --seed or --task, not both", 2);
    }
    if (taskId != null) {
      return env.tasks().byId(taskId).orElseThrow(() -> new UserError("no task '" + taskId + "' in " + name
          + " (list them with --tasks train or --tasks test)", 2));
    }
    if (seed != null) {
      Optional<Task> t = env.taskForSeed(seed);
      return t.orElseThrow(() -> new UserError(name + " cannot make a task from a seed alone; use --task", 2));
    }
    List<Task> test = env.tasks().test();
    if (test.isEmpty()) {
      throw new UserError(name + " has no test tasks; use --seed or --task", 2);
    }
    return test.get(0);
  }

  private List<String> turnsToReplay(Environment env) throws IOException {
    List<String> turns = new ArrayList<>();
    if (actions != null) {
      for (String turn : actions.split(",")) {
        if (!turn.isBlank()) {
          turns.add(env.formatAction(turn.trim()));
        }
      }
    }
    if (actionsFile != null) {
      if (!Files.isRegularFile(actionsFile)) {
        throw new UserError("no such file: " + actionsFile, 2);
      }
      int lineNo = 0;
      for (String line : Files.readAllLines(actionsFile, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException e) {
          throw new UserError(actionsFile + ":" + lineNo + ": not JSON (write raw text as a JSON string)", 2);
        }
        turns.add(node.isTextual() ? node.asText() : JSON.writeValueAsString(node));
      }
    }
    return turns;
  }

  private static String stepJson(int turn, String action, StepResult r) throws IOException {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("turn", turn);
    line.put("action", action);
    line.put("observation", r.observation());
    line.put("reward", r.reward());
    line.put("done", r.done());
    line.put("info", new java.util.TreeMap<>(r.info()));
    return JSON.writeValueAsString(line);
  }
}
