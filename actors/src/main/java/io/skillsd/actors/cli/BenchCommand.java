package io.skillsd.actors.cli;

import io.skillsd.actors.bench.RolloutBench;
import io.skillsd.actors.policy.PolicyServerActor;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.environments.EnvironmentProvider;
import io.skillsd.environments.EnvironmentRegistry;
import io.skillsd.policies.generation.StepTimings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skillsd bench rollout}: rollout throughput with dynamic batching vs one request at a time, and
 * the actor runtime vs a plain loop over the same components, measured in one process, interleaved; then where
 * each mode's time went ({@link StepTimings}).
 * {@code skillsd bench model}: the policy model's training, scoring and generation throughput, optionally
 * next to the PyTorch eager reference ({@link io.skillsd.policies.bench.ModelBench}).
 */
@Command(name = "bench", description = "Benchmarks: 'bench rollout' measures rollout throughput (batching, actors vs plain loop); "
    + "'bench model' the policy model's throughput (vs PyTorch eager with --reference).",
    subcommands = {BenchCommand.Rollout.class, BenchCommand.Model.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark (try: bench rollout, bench model)");
  }

  @Command(name = "model", description = "Policy model throughput: training, scoring, generation at batch 1/8/32; "
      + "with --reference, each measurement next to the PyTorch eager one, medians over --rounds "
      + "(options: --config tiny|small10m (repeatable), --seconds S, --threads N, --rounds R, "
      + "--reference policies/src/test/python/qwen_reference.py, --python PATH, --rss).")
  static final class Model implements Callable<Integer> {

    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      try {
        io.skillsd.policies.bench.ModelBench.main(args.toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), 2);
      }
      return 0;
    }
  }

  @Command(name = "rollout", description = "Rollout throughput of N concurrent episodes, three ways, repeated; "
      + "ends with each way's forward steps (prefill, decode) by rows in the batch.")
  static final class Rollout implements Callable<Integer> {

    private static double median(List<Double> values) {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return sorted[sorted.length / 2];
    }

    /** "median 1.23x (range 1.01-1.45x)" of per-round ratios. */
    private static String spread(List<Double> ratios) {
      double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      return String.format("median %.2fx (range %.2f-%.2fx)", median(ratios), min, max);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--episodes", defaultValue = "16", description = "Concurrent episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--episodes-per-slot", defaultValue = "1", description = "Episodes each of the concurrent "
        + "slots plays back to back in one measurement: when one ends, the slot's next one joins the following "
        + "round, so the concurrent episodes stay in flight until the last ones; 1 = one launch of the "
        + "concurrent episodes, played to their end while the batch shrinks (default: ${DEFAULT-VALUE}).")
    int perSlot;

    @Option(names = "--repeats", defaultValue = "3", description = "Rounds of each mode, interleaved (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--max-new-tokens", defaultValue = "24", description = "Tokens per reply at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Settings override (environment, model), as for train.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
      if (episodes < 1 || repeats < 1 || perSlot < 1) {
        throw new UserError("--episodes, --episodes-per-slot and --repeats must be at least 1", 2);
      }
      SkillsdSettings settings = SkillsdSettings.load(null, overrides);
      io.skillsd.actors.train.TrainingRun.applyComputeSettings(settings);
      EnvironmentProvider provider = EnvironmentRegistry.load().provider(settings.environment().name());
      String model = settings.config().getString("skillsd.policy.model");
      PolicyServerActor.Batching batching = io.skillsd.actors.train.TrainSettings.from(settings).batching();
      PrintWriter out = spec.commandLine().getOut();
      out.printf("rollout benchmark: %d concurrent episodes (%d each measurement, %d per slot) of %s %s, model %s, "
          + "%s batching, shared-prefix cache from %d tokens (0 = off), %d rounds, %d cores%n", episodes,
          episodes * perSlot, perSlot, settings.environment().name(), settings.environment().options(), model,
          batching.name().toLowerCase(java.util.Locale.ROOT),
          settings.config().getInt("skillsd.train.prefix-cache-min-tokens"), repeats,
          Runtime.getRuntime().availableProcessors());
      try (TrainingModels models = TrainingModels.load(model, settings.config().getLong("skillsd.policy.init-seed"));
          RolloutBench bench = new RolloutBench(models, () -> provider.create(settings.environment().options()),
              settings.config(), maxNewTokens, settings.config().getInt("skillsd.train.prefix-cache-min-tokens"), batching)) {
        // warm-up of both paths: JIT, native kernels, and the actor system's compute thread
        bench.plainLoop(Math.min(4, episodes), 1, 999);
        bench.actors(Math.min(4, episodes), 1, 999, Integer.MAX_VALUE);
        Map<String, List<RolloutBench.Measurement>> all = new LinkedHashMap<>();
        List<Double> batchingByRound = new ArrayList<>();
        List<Double> actorsByRound = new ArrayList<>();
        Map<String, StepTimings> steps = new LinkedHashMap<>();
        for (int r = 0; r < repeats; r++) {
          long seed = 1000L * (r + 1);
          // The two modes compared with each other run back to back, in alternating order, so that neither
          // always follows the long one-request-at-a-time run; each round's ratios are its own.
          List<Map.Entry<String, Supplier<RolloutBench.Measurement>>> order = new ArrayList<>(List.of(
              Map.entry(RolloutBench.BATCHED, () -> bench.actors(episodes, perSlot, seed, Integer.MAX_VALUE)),
              Map.entry(RolloutBench.PLAIN, () -> bench.plainLoop(episodes, perSlot, seed))));
          if (r % 2 == 1) {
            Collections.reverse(order);
          }
          order.add(Map.entry(RolloutBench.ONE_AT_A_TIME, () -> bench.actors(episodes, perSlot, seed, 1)));
          Map<String, RolloutBench.Measurement> round = new LinkedHashMap<>();
          for (Map.Entry<String, Supplier<RolloutBench.Measurement>> run : order) {
            StepTimings.start(steps.computeIfAbsent(run.getKey(), k -> new StepTimings()));
            RolloutBench.Measurement m;
            try {
              m = run.getValue().get();
            } finally {
              StepTimings.stop();
            }
            round.put(m.mode(), m);
            all.computeIfAbsent(m.mode(), k -> new ArrayList<>()).add(m);
            out.printf("  round %d  %-32s %7.2f s  %8.1f tokens/s  %6.2f turns/s%n", r + 1, m.mode(), m.seconds(),
                m.tokensPerSecond(), m.turnsPerSecond());
            out.flush();
          }
          double batched = round.get(RolloutBench.BATCHED).tokensPerSecond();
          batchingByRound.add(batched / round.get(RolloutBench.ONE_AT_A_TIME).tokensPerSecond());
          actorsByRound.add(batched / round.get(RolloutBench.PLAIN).tokensPerSecond());
        }
        Map<String, Double> median = new LinkedHashMap<>();
        all.forEach((mode, ms) -> median.put(mode, median(ms.stream().map(RolloutBench.Measurement::tokensPerSecond)
            .toList())));
        out.println("median tokens/s:");
        median.forEach((mode, v) -> out.printf("  %-32s %8.1f%n", mode, v));
        double batched = median.get(RolloutBench.BATCHED);
        out.printf("dynamic batching vs one request at a time: %.2fx (ratio of medians); per round %s%n",
            batched / median.get(RolloutBench.ONE_AT_A_TIME), spread(batchingByRound));
        out.printf("actor runtime vs plain loop: %.2fx (ratio of medians); per round %s%n",
            batched / median.get(RolloutBench.PLAIN), spread(actorsByRound));
        out.println("forward steps by rows in the batch, median (steps), every round:");
        steps.forEach((mode, t) -> out.printf("  %-32s %s%n", mode, t.summary()));
      }
      return 0;
    }
  }
}
