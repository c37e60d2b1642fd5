package io.skillsd.actors.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.actors.run.RunDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results of an experiment whose runs are already on disk (written here by hand, so every number has a
 * known value): the statistics, the table, the skip of finished runs and the refusal of unlike runs.
 */
class ExperimentResultsTest {

  @TempDir
  Path dir;

  private ExperimentPlan plan(List<Variant> variants, int seeds) {
    return new ExperimentPlan("sokoban", Optional.empty(), Map.of("skillsd.train.eval-episodes", "4"), seeds, 12,
        variants, dir, "./skillsd experiment sokoban");
  }

  /** A finished run of {@code plan} with the given metrics lines. */
  private static void fakeRun(ExperimentPlan plan, ExperimentPlan.Run run, List<String> metrics) throws Exception {
    Path d = Files.createDirectories(plan.dir(run));
    Files.writeString(d.resolve("config.conf"), plan.settings(run).renderResolved() + "\n");
    Files.write(d.resolve(RunRecord.METRICS), metrics);
    Files.writeString(d.resolve(RunDirectory.SUMMARY_FILE), "{\"ok\": true, \"message\": \"finished\", \"summary\": {\"seconds\": 3.5}}");
  }

  private static String train(int iteration, double success, double completion) {
    return "{\"type\":\"train\",\"iteration\":" + iteration + ",\"success\":" + success + ",\"completion\":" + completion + "}";
  }

  private static String eval(String label, int iteration, double success, double completion) {
    return "{\"type\":\"eval\",\"label\":\"" + label + "\",\"iteration\":" + iteration + ",\"heldout_success\":" + success
        + ",\"heldout_completion\":" + completion + "}";
  }

  /** 12 iterations: success 0 for the first two, then {@code s}; completion 1 for the first two, then {@code c}. */
  private static List<String> trainedRun(double s, double c, double heldout) {
    List<String> lines = new ArrayList<>();
    lines.add(eval("before", 0, 0.125, 0.25));
    for (int i = 1; i <= 12; i++) {
      lines.add(train(i, i <= 2 ? 0 : s, i <= 2 ? 1 : c));
    }
    lines.add(eval("after", 12, heldout, heldout / 2));
    return lines;
  }

  @Test
  void statisticsAreMeanAndSampleStdOverSeedsOfTheLastTenIterationsAndTheFinalEvaluation() throws Exception {
    ExperimentPlan p = plan(List.of(Variant.BASE, Variant.GRPO), 3);
    double[] heldout = {0.25, 0.5, 0.75};
    for (ExperimentPlan.Run run : p.runs()) {
      if (run.variant() == Variant.BASE) {
        // base shows its one evaluation, before any training
        fakeRun(p, run, List.of(eval("before", 0, 0.125, 0.25)));
      } else {
        // seed s: success 0.1·(s+1) in iterations 3..12; the last ten are iterations 3..12
        fakeRun(p, run, trainedRun(0.1 * (run.seed() + 1), 0.5, heldout[run.seed()]));
      }
    }
    // A repeated line for an iteration (a resumed run) counts once, the later one.
    Path grpo0 = p.dir(new ExperimentPlan.Run(Variant.GRPO, 0));
    List<String> lines = new ArrayList<>(Files.readAllLines(grpo0.resolve(RunRecord.METRICS)));
    lines.add(lines.size() - 1, train(12, 0.1, 0.5));
    Files.write(grpo0.resolve(RunRecord.METRICS), lines);

    StringWriter console = new StringWriter();
    ExperimentRunner.Outcome o = new ExperimentRunner(p, new PrintWriter(console)).run();
    assertEquals(6, o.planned());
    assertEquals(6, o.skipped());
    assertEquals(0, o.ran());
    assertTrue(console.toString().contains("6 finished earlier, 0 to run"), console.toString());

    Map<Variant, ExperimentResults.Row> rows = new java.util.EnumMap<>(Variant.class);
    o.results().rows().forEach(r -> rows.put(r.variant(), r));
    ExperimentResults.Row base = rows.get(Variant.BASE);
    assertEquals(0.125, base.heldoutSuccess().mean(), 1e-12);
    assertEquals(0.0, base.heldoutSuccess().std(), 1e-12);
    assertEquals(0, base.trainSuccess().n(), "base has no train figures");
    ExperimentResults.Row grpo = rows.get(Variant.GRPO);
    assertEquals(3, grpo.seeds());
    assertEquals(0.5, grpo.heldoutSuccess().mean(), 1e-12);
    assertEquals(0.25, grpo.heldoutSuccess().std(), 1e-12); // sqrt((0.25² + 0 + 0.25²) / 2)
    assertEquals(0.25, grpo.heldoutCompletion().mean(), 1e-12);
    assertEquals(0.2, grpo.trainSuccess().mean(), 1e-12); // mean of 0.1, 0.2, 0.3
    assertEquals(0.1, grpo.trainSuccess().std(), 1e-12);
    assertEquals(0.5, grpo.trainCompletion().mean(), 1e-12, "iterations 1 and 2 are not among the last ten");

    String md = Files.readString(dir.resolve(ExperimentResults.TABLE));
    Map<String, List<String>> table = ExperimentCommandTest.tableRows(md);
    assertEquals(List.of("3", "12.5 ± 0.0", "25.0 ± 0.0", "12.5 ± 0.0", "—", "—"), table.get("base"));
    assertEquals(List.of("3", "50.0 ± 25.0", "25.0 ± 12.5", "50.0 ± 25.0", "20.0 ± 10.0", "50.0 ± 0.0"), table.get("grpo"));
    assertTrue(md.contains("./skillsd experiment sokoban"), md);
    assertTrue(ImageIO.read(dir.resolve(LearningCurves.CURVES).toFile()) != null);
    assertTrue(ImageIO.read(dir.resolve(LearningCurves.HELDOUT).toFile()) != null);
  }

  @Test
  void theLateHeldOutFigureAveragesTheLastFiveEvaluationsAfterTrainingBegan() throws Exception {
    ExperimentPlan p = plan(List.of(Variant.GRPO), 1);
    List<String> lines = new ArrayList<>();
    lines.add(eval("before", 0, 0.9, 0.9));
    double[] periodic = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5};
    for (int i = 1; i <= 12; i++) {
      lines.add(train(i, 0.5, 0.5));
      if (i % 2 == 0) {
        lines.add(eval(i == 12 ? "after" : "periodic", i, periodic[i / 2 - 1], 0));
      }
    }
    fakeRun(p, p.runs().get(0), lines);
    RunRecord r = RunRecord.read(p.dir(p.runs().get(0))).orElseThrow();
    assertEquals(0.3, r.lateHeldoutSuccess(), 1e-12, "mean of 0.1 … 0.5; neither 0.0 (sixth from last) nor 0.9 (before)");
    assertEquals(0.5, r.finalHeldout().success(), 1e-12);

    List<String> brief = List.of(eval("before", 0, 0.9, 0.9), train(1, 0.5, 0.5), eval("after", 1, 0.25, 0.25));
    fakeRun(p, p.runs().get(0), brief);
    assertEquals(0.25, RunRecord.read(p.dir(p.runs().get(0))).orElseThrow().lateHeldoutSuccess(), 1e-12,
        "the evaluation before training is left out of a trained run's mean");
    assertEquals(0.9, RunRecord.read(p.dir(p.runs().get(0))).orElseThrow().untrained().lateHeldoutSuccess(), 1e-12,
        "a run without training has only that one");
  }

  @Test
  void unfinishedRunsAreLeftOutAndNamed() throws Exception {
    ExperimentPlan p = plan(List.of(Variant.GRPO), 2);
    fakeRun(p, p.runs().get(0), trainedRun(0.5, 0.5, 0.5));
    fakeRun(p, p.runs().get(1), trainedRun(0.5, 0.5, 0.5));
    Files.writeString(p.dir(p.runs().get(1)).resolve(RunDirectory.SUMMARY_FILE), "{\"ok\": false, \"message\": \"interrupted\"}");
    assertFalse(RunDirectory.finished(p.dir(p.runs().get(1))));

    ExperimentResults results = ExperimentResults.read(p);
    assertEquals(1, results.finishedRuns());
    results.write();
    String md = Files.readString(dir.resolve(ExperimentResults.TABLE));
    assertEquals(List.of("1 of 2", "50.0", "25.0", "50.0", "50.0", "50.0"), ExperimentCommandTest.tableRows(md).get("grpo"));
    assertTrue(md.contains("Not finished (1 of 2 runs): grpo-s1"), md);
  }

  /** Seed 0 finished; seed 1 one iteration in, as a run another process is writing: its directory. */
  private static Path firstFinishedSecondRunning(ExperimentPlan p) throws Exception {
    fakeRun(p, p.runs().get(0), trainedRun(0.5, 0.5, 0.5));
    Path running = Files.createDirectories(p.dir(p.runs().get(1)));
    Files.writeString(running.resolve(RunRecord.METRICS), train(1, 0.5, 0.5) + "\n");
    return running;
  }

  @Test
  void resultsOnlyWritesTheTableOfFinishedRunsAndLeavesAnUnfinishedOneAlone() throws Exception {
    ExperimentPlan p = plan(List.of(Variant.GRPO), 2);
    Path running = firstFinishedSecondRunning(p);

    StringWriter console = new StringWriter();
    ExperimentRunner.Outcome o = new ExperimentRunner(p, new PrintWriter(console)).run(false);
    assertEquals(0, o.ran());
    assertEquals(1, o.skipped());
    assertEquals(train(1, 0.5, 0.5) + "\n", Files.readString(running.resolve(RunRecord.METRICS)),
        "a run another process may be writing is not removed");
    assertFalse(console.toString().contains("starting"), console.toString());
    String md = Files.readString(dir.resolve(ExperimentResults.TABLE));
    assertEquals("1 of 2", ExperimentCommandTest.tableRows(md).get("grpo").get(0));
    assertTrue(md.contains("Not finished (1 of 2 runs): grpo-s1"), md);
  }

  @Test
  void aRunAnotherLiveProcessHoldsIsLeftToIt() throws Exception {
    ExperimentPlan p = plan(List.of(Variant.GRPO), 2);
    Path running = firstFinishedSecondRunning(p);
    long other = ProcessHandle.current().parent().orElseThrow().pid(); // alive while this test runs
    Path claim = Files.createDirectories(dir.resolve(RunClaim.DIR)).resolve(p.runs().get(1).id());
    Files.writeString(claim, other + " " + java.net.InetAddress.getLocalHost().getHostName() + "\n");

    StringWriter console = new StringWriter();
    ExperimentRunner.Outcome o = new ExperimentRunner(p, new PrintWriter(console)).run();
    assertEquals(0, o.ran());
    assertEquals(1, o.skipped());
    assertEquals(1, o.elsewhere());
    assertTrue(console.toString().contains("run 2 of 2: grpo, seed 1: taken by process " + other), console.toString());
    assertEquals(train(1, 0.5, 0.5) + "\n", Files.readString(running.resolve(RunRecord.METRICS)),
        "the other process's run is not touched");
    assertTrue(Files.exists(claim), "nor its claim");
    assertEquals(1, o.results().finishedRuns());
  }

  @Test
  void aFinishedRunMadeWithOtherSettingsIsRefusedBeforeAnythingRuns() throws Exception {
    ExperimentPlan p = plan(List.of(Variant.GRPO), 1);
    fakeRun(p, p.runs().get(0), trainedRun(0.5, 0.5, 0.5));
    ExperimentPlan other = new ExperimentPlan("sokoban", Optional.empty(), Map.of("skillsd.train.eval-episodes", "8"), 1, 12,
        List.of(Variant.GRPO), dir, "cmd");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExperimentRunner(other, new PrintWriter(new StringWriter())).run());
    assertTrue(e.getMessage().contains("skillsd.train.eval-episodes"), e.getMessage());
  }

  @Test
  void statFormatsPercentages() {
    assertEquals("50.0 ± 25.0", Stat.of(List.of(0.25, 0.5, 0.75)).percent());
    assertEquals("40.0", Stat.of(List.of(0.4)).percent());
    assertEquals("—", Stat.of(List.of()).percent());
    assertEquals("1m05s", ExperimentRunner.duration(65));
    assertEquals("2h00m01s", ExperimentRunner.duration(7201));
  }
}
