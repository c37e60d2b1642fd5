package io.skillsd.actors.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Renders {@code report.html} with PNG charts from a run's {@code metrics.jsonl}: success and reward,
 * losses, importance weights ρ, the teacher–student gap and stage timings, per iteration. Runs at the end
 * of every training run; {@code skillsd report <run-dir>} renders it again.
 */
public final class RunReport {

  public static final String FILE = "report.html";
  public static final String CHARTS = "report";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One chart: a title, a y-axis label and the metric keys drawn as series. */
  private record Chart(String file, String title, String yLabel, List<String> trainKeys, List<String> evalKeys) {}

  private static final List<Chart> CHARTS_SPEC = List.of(
      new Chart("success.png", "Success and reward", "rate / reward",
          List.of("success", "completion", "reward"), List.of("heldout_success", "heldout_completion")),
      new Chart("losses.png", "Losses", "loss", List.of("loss", "grpo_loss", "sdl_loss"), List.of()),
      new Chart("rho.png", "Importance weight ρ = π_θ / π_θold", "ρ", List.of("mean_rho", "max_rho"), List.of()),
      new Chart("gap.png", "Teacher–student gap", "nats per token",
          List.of("teacher_student_gap", "mean_ell"), List.of()),
      new Chart("timings.png", "Stage timings", "seconds",
          List.of("rollout_seconds", "scoring_wait_seconds", "update_seconds", "iteration_seconds"), List.of()));

  private RunReport() {}

  /** Writes {@code report.html} and {@code report/*.png} into {@code runDir}; returns the HTML file. */
  public static Path write(Path runDir) {
    System.setProperty("java.awt.headless", "true");
    Path metricsFile = runDir.resolve("metrics.jsonl");
    List<JsonNode> train = new ArrayList<>();
    List<JsonNode> eval = new ArrayList<>();
    try {
      if (Files.isRegularFile(metricsFile)) {
        for (String line : Files.readAllLines(metricsFile, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode n = JSON.readTree(line);
          (n.path("type").asText().equals("eval") ? eval : train).add(n);
        }
      }
      StringBuilder html = new StringBuilder();
      html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>skillsd run ")
          .append(escape(runDir.getFileName().toString())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;}"
              + "img{max-width:100%;border:1px solid #ddd;margin:0.5em 0;}table{border-collapse:collapse;}"
              + "td,th{border:1px solid #ccc;padding:0.2em 0.6em;text-align:right;}</style></head><body>\n");
      html.append("<h1>Run ").append(escape(runDir.getFileName().toString())).append("</h1>\n");
      html.append(summaryTable(runDir, train, eval));
      if (train.isEmpty()) { // an evaluation alone (skillsd eval): nothing per iteration to chart
        html.append("<p>An evaluation only: no training iterations, so no charts. Every episode is in "
            + "<code>trajectories/eval-0000.jsonl</code>.</p>\n");
      } else {
        Path charts = Files.createDirectories(runDir.resolve(CHARTS));
        for (Chart c : CHARTS_SPEC) {
          JFreeChart chart = render(c, train, eval);
          ChartUtils.saveChartAsPNG(charts.resolve(c.file()).toFile(), chart, 900, 420);
          html.append("<h2>").append(escape(c.title())).append("</h2>\n<img src=\"").append(CHARTS).append('/')
              .append(c.file()).append("\" alt=\"").append(escape(c.title())).append("\">\n");
        }
        html.append("<p>Data: <code>metrics.jsonl</code>; trajectories in <code>trajectories/</code>; skills in "
            + "<code>skills/bank.json</code>; logs in <code>logs/skillsd.jsonl</code>.</p>\n");
      }
      html.append("</body></html>\n");
      Path out = runDir.resolve(FILE);
      Files.writeString(out, html, StandardCharsets.UTF_8);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report of " + runDir, e);
    }
  }

  private static JFreeChart render(Chart c, List<JsonNode> train, List<JsonNode> eval) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String key : c.trainKeys()) {
      data.addSeries(series(key, train, key));
    }
    for (String key : c.evalKeys()) {
      data.addSeries(series(key, eval, key));
    }
    JFreeChart chart = ChartFactory.createXYLineChart(c.title(), "iteration", c.yLabel(), data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    return chart;
  }

  private static XYSeries series(String name, List<JsonNode> rows, String key) {
    XYSeries s = new XYSeries(name, true, true);
    for (JsonNode n : rows) {
      if (n.has(key) && n.get(key).isNumber()) {
        s.addOrUpdate(n.path("iteration").asDouble(), n.get(key).asDouble());
      }
    }
    return s;
  }

  private static String summaryTable(Path runDir, List<JsonNode> train, List<JsonNode> eval) throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("iterations", Integer.toString(train.size()));
    if (train.isEmpty() && eval.size() == 1) {
      JsonNode e = eval.get(0);
      rows.put("split", e.path("split").asText("test"));
      rows.put("episodes", e.path("heldout_episodes").asText());
      rows.put("success", pct(e.path("heldout_success").asDouble()));
      rows.put("completion", pct(e.path("heldout_completion").asDouble()));
      rows.put("answer format", pct(e.path("heldout_format_rate").asDouble()));
      if (e.has("heldout_distinct_first_answers")) {
        rows.put("different first answers", e.path("heldout_distinct_first_answers").asText());
      }
      rows.put("episodes cut by the context", e.path("context_full").asText("0"));
    } else if (!eval.isEmpty()) {
      rows.put("held-out success (first → last)", pct(eval.get(0).path("heldout_success").asDouble()) + " → "
          + pct(eval.get(eval.size() - 1).path("heldout_success").asDouble()));
      rows.put("held-out completion (first → last)", pct(eval.get(0).path("heldout_completion").asDouble()) + " → "
          + pct(eval.get(eval.size() - 1).path("heldout_completion").asDouble()));
    }
    if (!train.isEmpty()) {
      JsonNode last = train.get(train.size() - 1);
      rows.put("episodes launched / completed / retried / failed", last.path("launched").asText() + " / "
          + last.path("completed").asText() + " / " + last.path("retried").asText() + " / " + last.path("failed").asText());
      rows.put("weights version", last.path("version").asText());
    }
    StringBuilder t = new StringBuilder("<table>\n");
    rows.forEach((k, v) -> t.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>\n"));
    return t.append("</table>\n").toString();
  }

  private static String pct(double x) {
    return String.format("%.1f%%", 100 * x);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
