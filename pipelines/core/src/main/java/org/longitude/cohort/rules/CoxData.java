package org.longitude.cohort.rules;

import java.util.List;
import java.util.Objects;

/**
 * Counting-process survival data for a Cox model: row i is at risk on (start, stop] with the
 * covariates {@code x[i]}, ends in an event at {@code stop} when {@code event[i]}, and belongs to
 * baseline-hazard stratum {@code strata[i]}. A subject whose covariate changes over time has one
 * row per constant stretch (R's {@code Surv(start, stop, event)}).
 *
 * <p>Arrays are used as given (not copied): build them for the fit and leave them alone.
 *
 * @param terms the covariates' names, one per column of {@code x}
 */
public record CoxData(List<String> terms, double[] start, double[] stop, boolean[] event,
    int[] strata, double[][] x) {

  public CoxData {
    terms = List.copyOf(terms);
    int n = Objects.requireNonNull(stop, "stop").length;
    if (start.length != n || event.length != n || strata.length != n || x.length != n) {
      throw new IllegalArgumentException("columns of different lengths");
    }
    for (int i = 0; i < n; i++) {
      if (!(stop[i] > start[i])) {
        throw new IllegalArgumentException("row " + i + ": stop must be after start");
      }
      if (x[i].length != terms.size()) {
        throw new IllegalArgumentException("row " + i + ": " + x[i].length + " covariates, "
            + terms.size() + " terms");
      }
    }
  }

  /** Right-censored data: every row at risk from 0 (R's {@code Surv(time, status)}). */
  public static CoxData rightCensored(List<String> terms, double[] time, boolean[] event,
      int[] strata, double[][] x) {
    return new CoxData(terms, new double[time.length], time, event, strata, x);
  }

  public int rows() {
    return stop.length;
  }

  public int events() {
    int d = 0;
    for (boolean e : event) {
      d += e ? 1 : 0;
    }
    return d;
  }
}
