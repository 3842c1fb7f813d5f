package org.longitude.cohort.rules;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;

/**
 * A symmetric positive-definite matrix (an information matrix) factored once, to solve with and
 * invert. Singularity is judged on the matrix scaled to unit diagonal, so it does not depend on
 * the covariates' units: a term with no variation in the risk sets, or one that is a combination
 * of others, makes the matrix singular.
 */
final class PositiveDefinite {
  /** Smallest pivot, relative to the unit diagonal, of a matrix taken as non-singular. */
  private static final double PIVOT_TOLERANCE = 1e-10;

  private final double[] scale;
  private final DecompositionSolver solver;

  private PositiveDefinite(double[] scale, DecompositionSolver solver) {
    this.scale = scale;
    this.solver = solver;
  }

  /** The factored matrix, or {@code null} when it is singular or not positive definite. */
  static PositiveDefinite of(double[][] matrix) {
    int n = matrix.length;
    double[] scale = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(matrix[i][i] > 0) || !Double.isFinite(matrix[i][i])) {
        return null;
      }
      scale[i] = 1 / Math.sqrt(matrix[i][i]);
    }
    double[][] unit = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        unit[i][j] = matrix[i][j] * scale[i] * scale[j];
      }
    }
    try {
      return new PositiveDefinite(scale, new CholeskyDecomposition(
          new Array2DRowRealMatrix(unit, false), 1e-8, PIVOT_TOLERANCE).getSolver());
    } catch (NonPositiveDefiniteMatrixException e) {
      return null;
    }
  }

  /** x with {@code matrix * x = b}. */
  double[] solve(double[] b) {
    double[] scaled = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      scaled[i] = b[i] * scale[i];
    }
    double[] y = solver.solve(new ArrayRealVector(scaled, false)).toArray();
    for (int i = 0; i < y.length; i++) {
      y[i] *= scale[i];
    }
    return y;
  }

  /** The inverse matrix. */
  double[][] inverse() {
    double[][] inv = solver.getInverse().getData();
    for (int i = 0; i < inv.length; i++) {
      for (int j = 0; j < inv.length; j++) {
        inv[i][j] *= scale[i] * scale[j];
      }
    }
    return inv;
  }

  /** {@code b' * inverse * b}: a score or Wald statistic. */
  double quadraticForm(double[] b) {
    double[] x = solve(b);
    double sum = 0;
    for (int i = 0; i < b.length; i++) {
      sum += b[i] * x[i];
    }
    return sum;
  }
}
