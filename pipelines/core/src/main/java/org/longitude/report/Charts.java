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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationText;
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

  /**
   * A chart being encoded, and its size in CSS pixels. Painting and encoding take most of the
   * report's time (a small study's report has some 30 charts), so they run on every core while
   * the page is written; {@link #dataUri} waits for this one.
   */
  record Png(Future<byte[]> encoded, int width, int height) {
    byte[] bytes() {
      try {
        return encoded.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while a chart was encoded", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r
            : new IllegalStateException("a chart could not be encoded", e.getCause());
      }
    }

    String dataUri() {
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes());
    }
  }

  /** Daemon threads, started on the first chart: a JVM that draws none starts none. */
  private static final ExecutorService ENCODER = Executors.newFixedThreadPool(
      Runtime.getRuntime().availableProcessors(), task -> {
        Thread thread = new Thread(task, "longitude-charts");
        thread.setDaemon(true);
        return thread;
      });

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
    return kaplanMeier(title, Map.of(stratum, rows), maxDay, 0);
  }

  /**
   * Kaplan–Meier curves overlaid, one colour per stratum, each with its band and censoring
   * marks; with more than one, a legend below.
   *
   * @param fromDay the x-axis start (a landmark's curves start there)
   */
  static Png kaplanMeier(String title, Map<String, List<Survival>> curves, double maxDay,
      double fromDay) {
    XYChart chart = new XYChartBuilder().width(420).height(curves.size() > 1 ? 300 : 270)
        .title(title).xAxisTitle("days since first response").yAxisTitle("relapse-free")
        .build();
    style(chart.getStyler());
    chart.getStyler().setXAxisMin(fromDay);
    chart.getStyler().setXAxisMax(maxDay);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setYAxisDecimalPattern("0.0");
    chart.getStyler().setXAxisDecimalPattern("0");
    // A falling curve leaves no corner clear: one curve goes without a legend (the caption
    // explains the marks), several have theirs below the plot.
    chart.getStyler().setLegendVisible(curves.size() > 1);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    curves.forEach((stratum, rows) -> addCurve(chart, stratum, rows, fromDay));
    return encode(chart);
  }

  private static void addCurve(XYChart chart, String stratum, List<Survival> rows,
      double fromDay) {
    Color color = stratumColor(stratum);
    Steps steps = Steps.of(rows, fromDay);
    List<Double> bandX = new ArrayList<>(steps.x);
    List<Double> reversedX = new ArrayList<>(steps.x);
    Collections.reverse(reversedX);
    bandX.addAll(reversedX);
    List<Double> bandY = new ArrayList<>(steps.upper);
    List<Double> reversedLower = new ArrayList<>(steps.lower);
    Collections.reverse(reversedLower);
    bandY.addAll(reversedLower);
    XYSeries band = chart.addSeries(stratum + " 95% CI", bandX, bandY);
    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    band.setFillColor(translucent(color, 60));
    band.setLineStyle(SeriesLines.NONE);
    band.setMarker(SeriesMarkers.NONE);
    band.setShowInLegend(false);

    XYSeries curve = chart.addSeries(stratum, steps.x, steps.survival);
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
      XYSeries censored = chart.addSeries(stratum + " censored", censorX, censorY);
      censored.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      censored.setMarker(SeriesMarkers.PLUS);
      censored.setMarkerColor(color);
      censored.setShowInLegend(false);
    }
  }

  /**
   * Hazard ratios with their 95% intervals, one line per term, on a log axis (drawn as the log
   * hazard ratio, labelled with the ratio) with a line at 1 (no difference): a forest plot.
   */
  static Png forest(String title, List<String> terms, List<double[]> estimates) {
    XYChart chart = rowChart(title, "hazard ratio of relapse (log scale)", terms, 70);
    chart.getStyler().setLegendVisible(false);
    chart.setCustomXAxisTickLabelsFormatter(x -> Html.decimal(Math.exp(x), 2));
    double lo = 0;
    double hi = 0;
    for (int i = 0; i < terms.size(); i++) {
      double[] e = estimates.get(i);
      double y = terms.size() - 1 - i;
      XYSeries whisker = chart.addSeries(terms.get(i) + " CI",
          new double[] {Math.log(e[1]), Math.log(e[2])}, new double[] {y, y});
      whisker.setLineColor(Color.DARK_GRAY);
      whisker.setMarker(SeriesMarkers.NONE);
      XYSeries point = chart.addSeries(terms.get(i), new double[] {Math.log(e[0])},
          new double[] {y});
      point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      point.setMarker(SeriesMarkers.DIAMOND);
      point.setMarkerColor(i == 0 ? stratumColor("maintenance") : PALETTE.get(0));
      rowLabel(chart, terms.get(i) + "  " + Html.decimal(e[0], 2), Math.log(e[0]), y);
      lo = Math.min(lo, Math.log(e[1]));
      hi = Math.max(hi, Math.log(e[2]));
    }
    double pad = 0.1 * Math.max(hi - lo, 0.2);
    chart.getStyler().setXAxisMin(lo - pad);
    chart.getStyler().setXAxisMax(hi + pad);
    verticalLine(chart, "no difference", 0, terms.size());
    return encode(chart);
  }

  /**
   * A chart with one row per name, the first on top, each name written above its row (XChart
   * places numeric ticks at round values only, so the names cannot be axis labels).
   */
  private static XYChart rowChart(String title, String xTitle, List<String> names,
      int extraHeight) {
    XYChart chart = new XYChartBuilder().width(420).height(extraHeight + 40 * names.size())
        .title(title).xAxisTitle(xTitle).build();
    style(chart.getStyler());
    chart.getStyler().setYAxisMin(-0.5);
    chart.getStyler().setYAxisMax(names.size() - 0.3);
    chart.getStyler().setYAxisTicksVisible(false);
    chart.getStyler().setPlotGridHorizontalLinesVisible(false);
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    return chart;
  }

  /** A row's name, centred above its mark at {@code x}. */
  private static void rowLabel(XYChart chart, String name, double x, double row) {
    chart.addAnnotation(new AnnotationText(name, x, row + 0.38, false));
  }

  /**
   * Standardised mean differences of the covariates between the landmark groups, before
   * (open) and after (filled) weighting, with lines at ±0.1: a Love plot.
   */
  static Png love(String title, List<String> covariates, List<Double> before,
      List<Double> after) {
    XYChart chart = rowChart(title, "standardised mean difference (maintenance − none)",
        covariates, 100);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setMarkerSize(8);
    double extent = 0.25;
    for (List<Double> values : List.of(before, after)) {
      for (Double v : values) {
        extent = Math.max(extent, v == null ? 0 : Math.abs(v) * 1.15);
      }
    }
    chart.getStyler().setXAxisMin(-extent);
    chart.getStyler().setXAxisMax(extent);
    for (double edge : new double[] {-0.1, 0.1}) {
      verticalLine(chart, edge < 0 ? "−0.1" : "0.1", edge, covariates.size());
    }
    for (int i = 0; i < covariates.size(); i++) {
      rowLabel(chart, covariates.get(i), 0, covariates.size() - 1 - i);
    }
    addDots(chart, "unweighted", before, SeriesMarkers.CIRCLE, PALETTE.get(1));
    addDots(chart, "weighted", after, SeriesMarkers.DIAMOND, PALETTE.get(0));
    return encode(chart);
  }

  private static void addDots(XYChart chart, String name, List<Double> values,
      org.knowm.xchart.style.markers.Marker marker, Color color) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) != null) {
        x.add(values.get(i));
        y.add((double) (values.size() - 1 - i));
      }
    }
    if (x.isEmpty()) {
      return;
    }
    XYSeries dots = chart.addSeries(name, x, y);
    dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    dots.setMarker(marker);
    dots.setMarkerColor(color);
  }

  private static void verticalLine(XYChart chart, String name, double x, int rows) {
    XYSeries line = chart.addSeries(name, new double[] {x, x}, new double[] {-0.5, rows - 0.3});
    line.setLineColor(Color.GRAY);
    line.setLineStyle(SeriesLines.DASH_DASH);
    line.setMarker(SeriesMarkers.NONE);
    line.setShowInLegend(false);
  }

  /** The step function's corners, with the band following the same steps. */
  record Steps(List<Double> x, List<Double> survival, List<Double> lower, List<Double> upper) {
    /** The steps from {@code fromDay} (0, or a landmark: a group's curve starts there). */
    static Steps of(List<Survival> rows, double fromDay) {
      Steps s = new Steps(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
          new ArrayList<>());
      double surv = 1;
      double lo = 1;
      double hi = 1;
      s.add(fromDay, surv, lo, hi);
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

  /** Paints the chart at {@link #SCALE}x and encodes it as PNG, on another thread. */
  static Png encode(Chart<?, ?> chart) {
    return new Png(ENCODER.submit(() -> paint(chart)), chart.getWidth(), chart.getHeight());
  }

  private static byte[] paint(Chart<?, ?> chart) {
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
    return bytes.toByteArray();
  }

  static <K, V> Map<K, List<V>> group(List<V> rows, java.util.function.Function<V, K> key) {
    Map<K, List<V>> groups = new LinkedHashMap<>();
    rows.forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
    return groups;
  }
}
