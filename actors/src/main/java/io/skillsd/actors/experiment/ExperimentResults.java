package io.skillsd.actors.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skillsd.actors.run.RunDirectory;
import io.skillsd.actors.train.TrainSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The experiment's results: per variant, the mean ± sample standard deviation over seeds of the final
 * held-out success and completion, of the late held-out success (each run's mean over its last
 * {@link RunRecord#LAST_EVALUATIONS} evaluations) and of the training success and completion (each run's
 * mean over its last {@link RunRecord#LAST_ITERATIONS} iterations). Written as {@code results.md} (the table),
 * {@code results.json} (per run and aggregated) and the charts of {@link LearningCurves}.
 *
 * @param plan the experiment
 * @param records each planned run's record, in {@link ExperimentPlan#runs()} order; empty for a run that has
 *     not finished
 */
public record ExperimentResults(ExperimentPlan plan, List<Optional<RunRecord>> records) {

  public static final String TABLE = "results.md";
  public static final String JSON_FILE = "results.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ExperimentResults {
    Objects.requireNonNull(plan, "plan");
    records = List.copyOf(records);
    if (records.size() != plan.runs().size()) {
      throw new IllegalArgumentException(records.size() + " records for " + plan.runs().size() + " planned runs");
    }
  }

  /** Reads the record of every planned run from its directory, as its variant views it ({@link Variant#view}). */
  public static ExperimentResults read(ExperimentPlan plan) {
    return new ExperimentResults(plan, plan.runs().stream()
        .map(r -> RunRecord.read(plan.dir(r)).map(r.variant()::view)).toList());
  }

  /**
   * One row of the table. Train statistics have no values for a variant that does not train; the final
   * evaluations' statistics (by split, {@link FinalEvaluation#SPLITS}) cover the runs that have one;
   * {@code finalDistinctFirstAnswers} is over their held-out ones.
   */
  public record Row(Variant variant, Stat heldoutSuccess, Stat heldoutCompletion, Stat lateHeldoutSuccess,
      Stat trainSuccess, Stat trainCompletion, Map<String, Stat> finalSuccess, Stat finalDistinctFirstAnswers) {
    public Row {
      Objects.requireNonNull(variant, "variant");
    }

    /** Seeds that finished (the held-out statistics cover all of them). */
    public int seeds() {
      return heldoutSuccess.n();
    }
  }

  /** The finished runs of each variant, in the plan's variant order. */
  public Map<Variant, List<RunRecord>> finished() {
    Map<Variant, List<RunRecord>> out = new LinkedHashMap<>();
    plan.variants().forEach(v -> out.put(v, new ArrayList<>()));
    List<ExperimentPlan.Run> runs = plan.runs();
    for (int i = 0; i < runs.size(); i++) {
      records.get(i).ifPresent(out.get(runs.get(i).variant())::add);
    }
    return out;
  }

  /** One row per variant of the plan. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    finished().forEach((variant, runs) -> rows.add(new Row(variant,
        Stat.of(runs.stream().map(r -> r.finalHeldout().success()).toList()),
        Stat.of(runs.stream().map(r -> r.finalHeldout().completion()).toList()),
        Stat.of(runs.stream().map(RunRecord::lateHeldoutSuccess).toList()),
        Stat.of(present(runs.stream().map(RunRecord::trainSuccess).toList())),
        Stat.of(present(runs.stream().map(RunRecord::trainCompletion).toList())),
        finalSuccess(runs),
        Stat.of(runs.stream().flatMap(r -> r.finalEvaluation(HELDOUT).stream())
            .map(e -> (double) e.distinctFirstAnswers()).toList()))));
    return rows;
  }

  /** The split whose final evaluations also report their different first answers. */
  private static final String HELDOUT = TrainSettings.EvalSplit.TEST.id();

  private static Map<String, Stat> finalSuccess(List<RunRecord> runs) {
    Map<String, Stat> bySplit = new LinkedHashMap<>();
    for (String split : FinalEvaluation.SPLITS) {
      bySplit.put(split, Stat.of(runs.stream().flatMap(r -> r.finalEvaluation(split).stream())
          .map(FinalEvaluation::success).toList()));
    }
    return bySplit;
  }

  /**
   * The final evaluations' column headers, by split, for the splits some finished run has one of: the
   * number of tasks when every run played the same number.
   */
  private Map<String, String> finalColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    for (String split : FinalEvaluation.SPLITS) {
      List<Integer> episodes = records.stream().flatMap(Optional::stream)
          .flatMap(r -> r.finalEvaluation(split).stream()).map(FinalEvaluation::episodes).distinct().toList();
      if (episodes.isEmpty()) {
        continue;
      }
      String tasks = episodes.size() == 1 ? episodes.get(0) + " " : "";
      columns.put(split, split.equals("test") ? "final, " + tasks + "held-out tasks: success (%)"
          : "final, " + tasks + "training tasks: success (%)");
    }
    return columns;
  }

  /** How many planned runs have finished. */
  public int finishedRuns() {
    return (int) records.stream().filter(Optional::isPresent).count();
  }

  /** The markdown table: variant, seeds finished, then the five statistics as percentages. */
  public String table() {
    StringBuilder t = new StringBuilder();
    Map<String, String> finals = finalColumns();
    t.append("| variant | seeds | held-out success (%) | held-out completion (%) | held-out success, last ")
        .append(RunRecord.LAST_EVALUATIONS).append(" evaluations (%) | train success (%) | train completion (%) |");
    finals.values().forEach(h -> t.append(' ').append(h).append(" |"));
    boolean answers = finals.containsKey(HELDOUT);
    if (answers) {
      t.append(" final, held-out: different first answers |");
    }
    t.append("\n|---|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(finals.size() + (answers ? 1 : 0)))
        .append('\n');
    for (Row r : rows()) {
      t.append("| ").append(r.variant().label())
          .append(" | ").append(r.seeds() == plan.seeds() ? Integer.toString(r.seeds()) : r.seeds() + " of " + plan.seeds())
          .append(" | ").append(r.heldoutSuccess().percent())
          .append(" | ").append(r.heldoutCompletion().percent())
          .append(" | ").append(r.lateHeldoutSuccess().percent())
          .append(" | ").append(r.trainSuccess().percent())
          .append(" | ").append(r.trainCompletion().percent())
          .append(" |");
      finals.keySet().forEach(split -> t.append(' ').append(r.finalSuccess().get(split).percent()).append(" |"));
      if (answers) {
        t.append(' ').append(r.finalDistinctFirstAnswers().plain()).append(" |");
      }
      t.append('\n');
    }
    return t.toString();
  }

  /** Writes {@code results.md}, {@code results.json}, {@code curves.png} and {@code heldout.png} into the plan's directory. */
  public void write() {
    Path out = plan.out();
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve(TABLE), markdown(), StandardCharsets.UTF_8);
      JSON.writeValue(out.resolve(JSON_FILE).toFile(), json());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results in " + out, e);
    }
    LearningCurves.write(out, finished(), plan.iterations());
  }

  private String markdown() {
    List<ExperimentPlan.Run> runs = plan.runs();
    List<String> missing = IntStream.range(0, runs.size()).filter(i -> records.get(i).isEmpty())
        .mapToObj(i -> runs.get(i).id()).toList();
    StringBuilder md = new StringBuilder();
    md.append("# Experiment: ").append(plan.environment()).append("\n\n");
    md.append("Every variant ran ").append(plan.iterations()).append(" training iterations (base: none) for each of ")
        .append(plan.seeds()).append(plan.seeds() == 1 ? " seed" : " seeds").append(" (skillsd.run.seed = 0")
        .append(plan.seeds() > 1 ? " … " + (plan.seeds() - 1) : "").append(").\n");
    md.append("Values are percentages, mean ± sample standard deviation over seeds. Held-out: the final evaluation "
        + "on the test split (no skills); last ")
        .append(RunRecord.LAST_EVALUATIONS).append(" evaluations: each run's mean over its last ").append(RunRecord.LAST_EVALUATIONS)
        .append(" held-out evaluations after training began. Train: each run's mean over its last ").append(RunRecord.LAST_ITERATIONS)
        .append(" iterations.");
    if (!finalColumns().isEmpty()) {
      md.append(" Final: each run's final model evaluated after the run on every task of the split, greedy, no "
          + "skills (`<variant>-s<seed>/").append(RunDirectory.FINAL_EVALS_DIR).append("/<split>/`); the base variant's is the "
          + "starting model. Different first answers: how many different answers the final held-out episodes "
          + "opened with (a policy that plays one fixed plan whatever the task has one or a few).");
      if (!plan.finalEvalSettings().isEmpty()) {
        md.append(" Settings of the final evaluations only: ").append(new TreeMap<>(plan.finalEvalSettings())
            .entrySet().stream().map(e -> "`" + e.getKey().trim() + " = " + e.getValue().trim() + "`")
            .collect(Collectors.joining(", "))).append('.');
      }
    }
    md.append("\n\n");
    md.append(table()).append('\n');
    if (!missing.isEmpty()) {
      md.append("Not finished (").append(missing.size()).append(" of ").append(runs.size()).append(" runs): ")
          .append(String.join(", ", missing)).append(". Run the same command again to continue.\n\n");
    }
    md.append("Command:\n\n```\n").append(plan.command()).append("\n```\n\n");
    md.append("Runs: `<variant>-s<seed>/` in this directory. Charts: `").append(LearningCurves.CURVES)
        .append("` (training curves with held-out points), `").append(LearningCurves.HELDOUT).append("` (held-out success).\n");
    return md.toString();
  }

  private Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("environment", plan.environment());
    root.put("command", plan.command());
    root.put("seeds", plan.seeds());
    root.put("iterations", plan.iterations());
    root.put("train_last_iterations", RunRecord.LAST_ITERATIONS);
    root.put("heldout_last_evaluations", RunRecord.LAST_EVALUATIONS);
    List<Map<String, Object>> variants = new ArrayList<>();
    for (Row r : rows()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("variant", r.variant().label());
      v.put("seeds_finished", r.seeds());
      v.put("heldout_success", stat(r.heldoutSuccess()));
      v.put("heldout_completion", stat(r.heldoutCompletion()));
      v.put("heldout_success_late", stat(r.lateHeldoutSuccess()));
      v.put("train_success", stat(r.trainSuccess()));
      v.put("train_completion", stat(r.trainCompletion()));
      r.finalSuccess().forEach((split, stat) -> v.put("final_" + split + "_success", stat(stat)));
      v.put("final_" + HELDOUT + "_distinct_first_answers", stat(r.finalDistinctFirstAnswers()));
      variants.add(v);
    }
    root.put("variants", variants);
    List<Map<String, Object>> runs = new ArrayList<>();
    List<ExperimentPlan.Run> planned = plan.runs();
    for (int i = 0; i < planned.size(); i++) {
      ExperimentPlan.Run run = planned.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("variant", run.variant().label());
      m.put("seed", run.seed());
      m.put("dir", run.id());
      Optional<RunRecord> rec = records.get(i);
      m.put("finished", rec.isPresent());
      rec.ifPresent(r -> {
        m.put("heldout_success", r.finalHeldout().success());
        m.put("heldout_completion", r.finalHeldout().completion());
        m.put("heldout_success_late", r.lateHeldoutSuccess());
        m.put("train_success", value(r.trainSuccess()));
        m.put("train_completion", value(r.trainCompletion()));
        m.put("train_iterations", r.train().size());
        r.finalEvaluations().forEach((split, e) -> m.put("final_" + split, Map.of("episodes", e.episodes(),
            "success", e.success(), "completion", e.completion(), "distinct_first_answers", e.distinctFirstAnswers())));
        m.put("seconds", r.seconds());
      });
      runs.add(m);
    }
    root.put("runs", runs);
    return root;
  }

  private static Map<String, Object> stat(Stat s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", finite(s.mean()));
    m.put("std", finite(s.std()));
    m.put("n", s.n());
    return m;
  }

  private static Object finite(double x) {
    return Double.isFinite(x) ? x : null;
  }

  private static Object value(OptionalDouble x) {
    return x.isPresent() ? x.getAsDouble() : null;
  }

  private static List<Double> present(List<OptionalDouble> values) {
    return values.stream().filter(OptionalDouble::isPresent).map(OptionalDouble::getAsDouble).toList();
  }
}
