package io.skillsd.actors.experiment;

import com.typesafe.config.ConfigUtil;
import io.skillsd.actors.settings.SkillsdSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an experiment runs: every variant over seeds {@code 0 … seeds-1}, each run with the same base config
 * (the file, then the {@code -D} overrides), its variant's settings, its seed and the same number of
 * iterations ({@link Variant#BASE} does not train), in its own run directory {@code <out>/<variant>-s<seed>/}.
 *
 * @param environment the registry name of the environment ({@code skillsd.environment.name})
 * @param configFile the HOCON file of the base config, if any
 * @param overrides the {@code -D} overrides of the base config; none may set a key the experiment controls
 * @param seeds how many seeds each variant runs (the run seed is the seed index, so variants share seeds)
 * @param iterations training iterations of every training run
 * @param variants the variants, in the table's order, each once
 * @param out the experiment directory
 * @param command the command line that started the experiment, as the results record it
 * @param finalEvalEpisodes when present, each finished run's final model is also evaluated on this many tasks
 *     of each split (0 = all; {@link FinalEvaluation}); empty: no final evaluations
 * @param finalEvalSettings settings only the final evaluations get, over each run's own (e.g. a larger
 *     held-out split: {@code skillsd.environment.options.sokoban.test-size = 4096}); none may set a key the
 *     evaluation controls
 */
public record ExperimentPlan(String environment, Optional<Path> configFile, Map<String, String> overrides,
    int seeds, int iterations, List<Variant> variants, Path out, String command, Optional<Integer> finalEvalEpisodes,
    Map<String, String> finalEvalSettings) {

  /** Keys every run gets from the experiment; a {@code -D} for them is refused with the option to use. */
  static final Map<String, String> CONTROLLED = Map.of(
      "skillsd.environment.name", "the ENVIRONMENT argument",
      "skillsd.train.iterations", "--iterations",
      "skillsd.run.seed", "--seeds",
      "skillsd.run.dir", "--out",
      "skillsd.run.id", "--out");

  public ExperimentPlan {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(configFile, "configFile");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(finalEvalEpisodes, "finalEvalEpisodes");
    if (finalEvalEpisodes.isPresent() && finalEvalEpisodes.get() < 0) {
      throw new IllegalArgumentException("--final-eval-episodes must be 0 (all) or more, got " + finalEvalEpisodes.get());
    }
    if (environment.isBlank()) {
      throw new IllegalArgumentException("the environment must not be blank");
    }
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations
          + " (the base variant already evaluates the untrained model)");
    }
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("--variants must name at least one of " + Variant.allLabels());
    }
    if (new HashSet<>(variants).size() != variants.size()) {
      throw new IllegalArgumentException("--variants names a variant twice: " + variants.stream().map(Variant::label).toList());
    }
    for (String key : overrides.keySet()) {
      String option = CONTROLLED.get(key.trim());
      if (option != null) {
        throw new IllegalArgumentException("-D " + key.trim() + " is set by the experiment; use " + option);
      }
    }
    for (String key : finalEvalSettings.keySet()) {
      String k = key.trim();
      String option = FinalEvaluation.CONTROLLED.getOrDefault(k, CONTROLLED.get(k));
      if (option != null) {
        throw new IllegalArgumentException("--final-eval-set " + k + " is set by the final evaluation; use " + option);
      }
    }
    if (!finalEvalSettings.isEmpty() && finalEvalEpisodes.isEmpty()) {
      throw new IllegalArgumentException("--final-eval-set applies to the final evaluations, which --no-final-evals leaves out");
    }
    overrides = Map.copyOf(overrides);
    variants = List.copyOf(variants);
    finalEvalSettings = Map.copyOf(finalEvalSettings);
  }

  /** A plan whose final evaluations, if any, use each run's own settings. */
  public ExperimentPlan(String environment, Optional<Path> configFile, Map<String, String> overrides, int seeds,
      int iterations, List<Variant> variants, Path out, String command, Optional<Integer> finalEvalEpisodes) {
    this(environment, configFile, overrides, seeds, iterations, variants, out, command, finalEvalEpisodes, Map.of());
  }

  /** A plan without final evaluations. */
  public ExperimentPlan(String environment, Optional<Path> configFile, Map<String, String> overrides, int seeds,
      int iterations, List<Variant> variants, Path out, String command) {
    this(environment, configFile, overrides, seeds, iterations, variants, out, command, Optional.empty());
  }

  /** One run of the plan: a variant, a seed and the run id (also its directory's name under {@code out}). */
  public record Run(Variant variant, int seed) {
    public Run {
      Objects.requireNonNull(variant, "variant");
      if (seed < 0) {
        throw new IllegalArgumentException("seed must be >= 0, got " + seed);
      }
    }

    public String id() {
      return variant.label() + "-s" + seed;
    }
  }

  /**
   * Every run, seed by seed (all variants of seed 0 first), so an experiment cut short still holds complete
   * comparisons for the seeds it finished.
   */
  public List<Run> runs() {
    List<Run> runs = new ArrayList<>(seeds * variants.size());
    for (int seed = 0; seed < seeds; seed++) {
      for (Variant v : variants) {
        runs.add(new Run(v, seed));
      }
    }
    return List.copyOf(runs);
  }

  /** The run directory of {@code run}. */
  public Path dir(Run run) {
    return out.resolve(run.id());
  }

  /** The settings of {@code run}: base config, then the variant's settings, then what the experiment fixes. */
  public SkillsdSettings settings(Run run) {
    Map<String, String> o = new LinkedHashMap<>(overrides);
    o.putAll(run.variant().overrides());
    o.put("skillsd.environment.name", ConfigUtil.quoteString(environment));
    o.put("skillsd.train.iterations", Integer.toString(run.variant().iterations(iterations)));
    o.put("skillsd.run.seed", Integer.toString(run.seed()));
    o.put("skillsd.run.dir", ConfigUtil.quoteString(out.toString()));
    o.put("skillsd.run.id", ConfigUtil.quoteString(run.id()));
    return SkillsdSettings.load(configFile.orElse(null), o);
  }
}
