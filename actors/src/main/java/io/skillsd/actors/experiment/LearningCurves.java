package io.skillsd.actors.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The experiment's charts: {@code curves.png} (training success per iteration, the mean over seeds smoothed
 * by a trailing mean of {@link RunRecord#LAST_ITERATIONS} iterations, with the held-out evaluations as
 * points in the same colour) and {@code heldout.png} (held-out success per evaluation, mean over seeds with a
 * ± one sample standard deviation band). The untrained base model is a flat line at its held-out success.
 */
final class LearningCurves {

  static final String CURVES = "curves.png";
  static final String HELDOUT = "heldout.png";

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 520;

  private LearningCurves() {}

  /** Writes both charts into {@code dir}; variants without a finished run are left out. */
  static void write(Path dir, Map<Variant, List<RunRecord>> finished, int iterations) {
    System.setProperty("java.awt.headless", "true");
    try {
      ChartUtils.saveChartAsPNG(dir.resolve(CURVES).toFile(), curves(finished, iterations), WIDTH, HEIGHT);
      ChartUtils.saveChartAsPNG(dir.resolve(HELDOUT).toFile(), heldout(finished, iterations), WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the charts in " + dir, e);
    }
  }

  /** Mean over runs of one quantity at each iteration any run has (runs of one variant share iterations). */
  static SortedMap<Integer, Stat> byIteration(List<List<RunRecord.Point>> curves, ToDoubleFunction<RunRecord.Point> value) {
    SortedMap<Integer, List<Double>> values = new TreeMap<>();
    for (List<RunRecord.Point> curve : curves) {
      for (RunRecord.Point p : curve) {
        values.computeIfAbsent(p.iteration(), i -> new ArrayList<>()).add(value.applyAsDouble(p));
      }
    }
    SortedMap<Integer, Stat> out = new TreeMap<>();
    values.forEach((i, v) -> out.put(i, Stat.of(v)));
    return out;
  }

  private static JFreeChart curves(Map<Variant, List<RunRecord>> finished, int iterations) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    finished.forEach((variant, runs) -> {
      if (runs.isEmpty()) {
        return;
      }
      Paint paint = paint(variant);
      SortedMap<Integer, Stat> heldout = byIteration(runs.stream().map(RunRecord::heldout).toList(), RunRecord.Point::success);
      if (!variant.trains()) {
        double base = 100 * heldout.get(heldout.lastKey()).mean();
        XYSeries flat = new XYSeries(variant.label() + " (held-out, untrained)", true, true);
        flat.add(0, base);
        flat.add(iterations, base);
        int s = add(data, flat);
        style(renderer, s, paint, true, false, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 6f}, 0f));
        return;
      }
      SortedMap<Integer, Stat> train = byIteration(runs.stream().map(RunRecord::train).toList(), RunRecord.Point::success);
      XYSeries trainSeries = new XYSeries(variant.label() + " (train)", true, true);
      List<Double> window = new ArrayList<>();
      for (Map.Entry<Integer, Stat> e : train.entrySet()) {
        window.add(e.getValue().mean());
        if (window.size() > RunRecord.LAST_ITERATIONS) {
          window.remove(0);
        }
        trainSeries.add(e.getKey().doubleValue(), 100 * window.stream().mapToDouble(Double::doubleValue).average().orElse(0));
      }
      style(renderer, add(data, trainSeries), paint, true, false, new BasicStroke(2f));
      XYSeries heldoutSeries = new XYSeries(variant.label() + " (held-out)", true, true);
      heldout.forEach((i, stat) -> heldoutSeries.add(i.doubleValue(), 100 * stat.mean()));
      style(renderer, add(data, heldoutSeries), paint, false, true, new BasicStroke(1f));
    });
    JFreeChart chart = ChartFactory.createXYLineChart(
        "Success, mean over seeds (train: trailing mean of " + RunRecord.LAST_ITERATIONS + " iterations; points: held-out)",
        "iteration", "success (%)", data, PlotOrientation.VERTICAL, true, false, false);
    decorate(chart.getXYPlot(), renderer);
    return chart;
  }

  private static JFreeChart heldout(Map<Variant, List<RunRecord>> finished, int iterations) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    finished.forEach((variant, runs) -> {
      if (runs.isEmpty()) {
        return;
      }
      SortedMap<Integer, Stat> heldout = byIteration(runs.stream().map(RunRecord::heldout).toList(), RunRecord.Point::success);
      YIntervalSeries series = new YIntervalSeries(variant.label());
      if (variant.trains()) {
        heldout.forEach((i, stat) -> addInterval(series, i, stat));
      } else {
        Stat base = heldout.get(heldout.lastKey());
        addInterval(series, 0, base);
        addInterval(series, iterations, base);
      }
      data.addSeries(series);
      int s = data.getSeriesCount() - 1;
      Paint paint = paint(variant);
      renderer.setSeriesPaint(s, paint);
      renderer.setSeriesFillPaint(s, paint);
      renderer.setSeriesStroke(s, new BasicStroke(2f));
      renderer.setSeriesShapesVisible(s, variant.trains());
    });
    renderer.setAlpha(0.15f);
    JFreeChart chart = ChartFactory.createXYLineChart("Held-out success, mean ± sample std over seeds",
        "iteration", "held-out success (%)", data, PlotOrientation.VERTICAL, true, false, false);
    decorate(chart.getXYPlot(), renderer);
    return chart;
  }

  private static void addInterval(YIntervalSeries series, int iteration, Stat stat) {
    double mean = 100 * stat.mean();
    double std = Double.isNaN(stat.std()) ? 0 : 100 * stat.std();
    series.add(iteration, mean, mean - std, mean + std);
  }

  private static int add(XYSeriesCollection data, XYSeries series) {
    data.addSeries(series);
    return data.getSeriesCount() - 1;
  }

  private static void style(XYLineAndShapeRenderer r, int series, Paint paint, boolean lines, boolean shapes, BasicStroke stroke) {
    r.setSeriesPaint(series, paint);
    r.setSeriesLinesVisible(series, lines);
    r.setSeriesShapesVisible(series, shapes);
    r.setSeriesStroke(series, stroke);
  }

  private static void decorate(XYPlot plot, XYLineAndShapeRenderer renderer) {
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setRange(0, 100);
    plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
  }

  /** One colour per variant, the same in both charts. */
  private static Paint paint(Variant v) {
    return switch (v) {
      case BASE -> Color.GRAY;
      case GRPO -> new Color(31, 119, 180);
      case OPD -> new Color(255, 127, 14);
      case SKILL_AUGMENTED_GRPO -> new Color(148, 103, 189);
      case SKILL_SD -> new Color(214, 39, 40);
      case SKILL_SD_FROZEN -> new Color(44, 160, 44);
    };
  }
}
