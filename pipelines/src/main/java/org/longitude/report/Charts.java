package org.longitude.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.longitude.report.ResearchTables.Attrition;
import org.longitude.report.ResearchTables.CourseOutcome;
import org.longitude.report.ResearchTables.Landmark;
import org.longitude.report.ResearchTables.Survival;
import org.longitude.report.ResearchTables.Trajectory;

/**
 * The report's charts, drawn by XChart and encoded headless as PNG at twice their CSS size
 * (sharp on high-density screens and in print).
 */
final class Charts {
  static {
    // Charts are drawn off-screen; never try to reach a display.
    System.setProperty("java.awt.headless", "true");
  }

  /** An encoded chart and its size in CSS pixels. */
  record Png(byte[] bytes, int width, int height) {
    String dataUri() {
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
    }
  }

  static final Map<String, Color> STRATUM_COLORS = Map.of(
      "all", new Color(0x1F4E79), "maintenance", new Color(0x2E7D32),
      "none", new Color(0xC55A11));
  private static final List<Color> PALETTE = List.of(new Color(0x1F4E79),
      new Color(0xC55A11), new Color(0x2E7D32), new Color(0x7B3F99), new Color(0x8C6D1F));
  private static final int SCALE = 2;

  private Charts() {}

  static Color stratumColor(String stratum) {
    return STRATUM_COLORS.getOrDefault(stratum, PALETTE.get(3));
  }

  /**
   * One Kaplan–Meier curve: the step function, its 95% band and censoring marks.
   *
   * @param maxDay the x-axis end, shared by all curves so they compare at a glance
   */
  static Png kaplanMeier(String title, String stratum, List<Survival> rows, double maxDay) {
    XYChart chart = new XYChartBuilder().width(420).height(270).title(title)
        .xAxisTitle("days since first response").yAxisTitle("relapse-free").build();
    style(chart.getStyler());
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(maxDay);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setYAxisDecimalPattern("0.0");
    chart.getStyler().setXAxisDecimalPattern("0");
    // No legend: a falling curve leaves no corner clear; the page's caption explains the marks.
    chart.getStyler().setLegendVisible(false);
    Color color = stratumColor(stratum);

    Steps steps = Steps.of(rows);
    List<Double> bandX = new ArrayList<>(steps.x);
    List<Double> reversedX = new ArrayList<>(steps.x);
    Collections.reverse(reversedX);
    bandX.addAll(reversedX);
    List<Double> bandY = new ArrayList<>(steps.upper);
    List<Double> reversedLower = new ArrayList<>(steps.lower);
    Collections.reverse(reversedLower);
    bandY.addAll(reversedLower);
    XYSeries band = chart.addSeries("95% CI", bandX, bandY);
    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    band.setFillColor(translucent(color, 60));
    band.setLineStyle(SeriesLines.NONE);
    band.setMarker(SeriesMarkers.NONE);

    XYSeries curve = chart.addSeries("Kaplan–Meier", steps.x, steps.survival);
    curve.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    curve.setLineColor(color);
    curve.setLineWidth(2f);
    curve.setMarker(SeriesMarkers.NONE);

    List<Double> censorX = new ArrayList<>();
    List<Double> censorY = new ArrayList<>();
    double previous = 1;
    for (Survival r : rows) {
      // Where the count is withheld, a day on which the curve does not drop had no event,
      // so it was a censoring day.
      boolean censoring = r.censored() != null ? r.censored() > 0 : r.survival() == previous;
      if (censoring) {
        censorX.add((double) r.day());
        censorY.add(r.survival());
      }
      previous = r.survival();
    }
    if (!censorX.isEmpty()) {
      XYSeries censored = chart.addSeries("censored", censorX, censorY);
      censored.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      censored.setMarker(SeriesMarkers.PLUS);
      censored.setMarkerColor(color);
    }
    return encode(chart);
  }

  /** The step function's corners, with the band following the same steps. */
  record Steps(List<Double> x, List<Double> survival, List<Double> lower, List<Double> upper) {
    static Steps of(List<Survival> rows) {
      Steps s = new Steps(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
          new ArrayList<>());
      double surv = 1;
      double lo = 1;
      double hi = 1;
      s.add(0, surv, lo, hi);
      for (Survival r : rows) {
        s.add(r.day(), surv, lo, hi);
        surv = r.survival();
        // No interval where the log-log transform is undefined (S = 1 or 0): a point.
        lo = r.ciLower() == null ? surv : r.ciLower();
        hi = r.ciUpper() == null ? surv : r.ciUpper();
        s.add(r.day(), surv, lo, hi);
      }
      return s;
    }

    private void add(double day, double surv, double lo, double hi) {
      x.add(day);
      survival.add(surv);
      lower.add(lo);
      upper.add(hi);
    }
  }

  /**
   * Landmark bars for one curve: the relapse-free probability since index at each landmark
   * month, with its 95% interval drawn as an error bar around the interval's midpoint (XChart
   * draws symmetric error bars; the midpoint and half-width give the asymmetric interval).
   */
  static Png landmarks(String title, String stratum, List<Landmark> rows) {
    CategoryChart chart = new CategoryChartBuilder().width(420).height(240).title(title)
        .xAxisTitle("months since index").yAxisTitle("relapse-free").build();
    styleProportionBars(chart);
    List<String> months = new ArrayList<>();
    List<Double> estimates = new ArrayList<>();
    List<Double> mids = new ArrayList<>();
    List<Double> halves = new ArrayList<>();
    for (Landmark l : rows) {
      months.add(String.valueOf(l.months()));
      estimates.add(l.km());
      addInterval(l.ciLower(), l.ciUpper(), mids, halves);
    }
    CategorySeries bars = chart.addSeries("relapse-free", months, estimates);
    bars.setFillColor(translucent(stratumColor(stratum), 170));
    addWhiskers(chart, months, mids, halves);
    return encode(chart);
  }

  /** Bars of proportions on a 0–1 axis with interval whiskers, no legend. */
  private static void styleProportionBars(CategoryChart chart) {
    style(chart.getStyler());
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setYAxisDecimalPattern("0.0");
    chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
  }

  /** Course outcome rates of one condition, each with its Wilson 95% interval. */
  static Png courseOutcomes(String title, List<CourseOutcome> rows) {
    CategoryChart chart = new CategoryChartBuilder().width(420).height(260).title(title)
        .yAxisTitle("proportion").build();
    styleProportionBars(chart);
    List<String> metrics = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    List<Double> mids = new ArrayList<>();
    List<Double> halves = new ArrayList<>();
    for (CourseOutcome c : rows) {
      metrics.add(c.metric().replace("si_resolved_day", "SI by day "));
      rates.add(c.rate());
      addInterval(c.ciLower(), c.ciUpper(), mids, halves);
    }
    CategorySeries bars = chart.addSeries("rate", metrics, rates);
    bars.setFillColor(translucent(PALETTE.get(0), 170));
    addWhiskers(chart, metrics, mids, halves);
    return encode(chart);
  }

  private static void addInterval(Double lo, Double hi, List<Double> mids, List<Double> halves) {
    if (lo == null || hi == null) {
      // XChart skips NaN points (it rejects null ones in series with error bars).
      mids.add(Double.NaN);
      halves.add(0.0);
    } else {
      mids.add((lo + hi) / 2);
      halves.add((hi - lo) / 2);
    }
  }

  private static void addWhiskers(CategoryChart chart, List<String> categories,
      List<Double> mids, List<Double> halves) {
    if (mids.stream().allMatch(m -> m.isNaN())) {
      return;
    }
    CategorySeries whiskers = chart.addSeries("95% CI", categories, mids, halves);
    whiskers.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    whiskers.setMarker(SeriesMarkers.NONE);
  }

  /** Participants at each step of the flow, one bar series per condition. */
  static Png attrition(Map<String, List<Attrition>> byCondition) {
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(340)
        .title("Participants at each step").yAxisTitle("participants").build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("0");
    chart.getStyler().setXAxisLabelRotation(15);
    int i = 0;
    for (Map.Entry<String, List<Attrition>> e : byCondition.entrySet()) {
      List<String> steps = new ArrayList<>();
      List<Double> counts = new ArrayList<>();
      for (Attrition a : e.getValue()) {
        steps.add(Report.stepLabel(a.step()));
        counts.add(a.participants() == null ? null : a.participants().doubleValue());
      }
      CategorySeries s = chart.addSeries(e.getKey(), steps, counts);
      s.setFillColor(PALETTE.get(i++ % PALETTE.size()));
    }
    return encode(chart);
  }

  /** Median score with the interquartile range by month since index, for one measure. */
  static Png trajectory(String title, List<Trajectory> points, double yMax) {
    XYChart chart = new XYChartBuilder().width(420).height(270).title(title)
        .xAxisTitle("months since index").yAxisTitle("score").build();
    style(chart.getStyler());
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(yMax);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setYAxisDecimalPattern("0");
    chart.getStyler().setXAxisTickMarkSpacingHint(50);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    List<Double> x = new ArrayList<>();
    List<Double> median = new ArrayList<>();
    List<Double> q1 = new ArrayList<>();
    List<Double> q3 = new ArrayList<>();
    for (Trajectory t : points) {
      x.add((double) t.month());
      median.add(t.median());
      q1.add(t.q1());
      q3.add(t.q3());
    }
    List<Double> bandX = new ArrayList<>(x);
    List<Double> back = new ArrayList<>(x);
    Collections.reverse(back);
    bandX.addAll(back);
    List<Double> bandY = new ArrayList<>(q3);
    List<Double> lower = new ArrayList<>(q1);
    Collections.reverse(lower);
    bandY.addAll(lower);
    Color color = PALETTE.get(0);
    XYSeries band = chart.addSeries("IQR", bandX, bandY);
    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    band.setFillColor(translucent(color, 60));
    band.setLineStyle(SeriesLines.NONE);
    band.setMarker(SeriesMarkers.NONE);
    XYSeries line = chart.addSeries("median", x, median);
    line.setLineColor(color);
    line.setLineWidth(2f);
    line.setMarker(SeriesMarkers.CIRCLE);
    line.setMarkerColor(color);
    return encode(chart);
  }

  private static void style(AxesChartStyler styler) {
    Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderVisible(false);
    styler.setPlotGridLinesColor(new Color(0xDDDDDD));
    styler.setChartTitleFont(base.deriveFont(Font.BOLD, 13f));
    styler.setChartTitleBoxVisible(false);
    styler.setAxisTitleFont(base);
    styler.setAxisTickLabelsFont(base.deriveFont(10f));
    styler.setLegendFont(base.deriveFont(10f));
    styler.setLegendBorderColor(new Color(0xCCCCCC));
    styler.setChartPadding(8);
    styler.setAntiAlias(true);
  }

  private static Color translucent(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  /** Paints the chart at {@link #SCALE}x and encodes it as PNG. */
  static Png encode(Chart<?, ?> chart) {
    int w = chart.getWidth();
    int h = chart.getHeight();
    // Bytes per channel, not ints per pixel: the PNG writer then copies rows as they are
    // instead of unpacking every pixel (the same PNG, encoded in about half the time).
    BufferedImage image = new BufferedImage(w * SCALE, h * SCALE, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    try {
      g.scale(SCALE, SCALE);
      chart.paint(g, w, h);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Png(bytes.toByteArray(), w, h);
  }

  static <K, V> Map<K, List<V>> group(List<V> rows, java.util.function.Function<V, K> key) {
    Map<K, List<V>> groups = new LinkedHashMap<>();
    rows.forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
    return groups;
  }
}
