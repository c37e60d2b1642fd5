package io.skillsd.actors.experiment;

import java.util.List;

/**
 * The mean and the sample standard deviation (denominator n − 1) of one quantity over seeds.
 *
 * @param mean the mean; NaN when {@code n} is 0
 * @param std the sample standard deviation; NaN when {@code n} is below 2
 * @param n how many values
 */
public record Stat(double mean, double std, int n) {

  public Stat {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
  }

  public static Stat of(List<Double> values) {
    int n = values.size();
    if (n == 0) {
      return new Stat(Double.NaN, Double.NaN, 0);
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
    if (n == 1) {
      return new Stat(mean, Double.NaN, 1);
    }
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return new Stat(mean, Math.sqrt(squares / (n - 1)), n);
  }

  /** As they are, with one decimal: {@code 7.3 ± 4.0}, {@code 7.0} for one value, {@code —} for none. */
  public String plain() {
    return formatted(1);
  }

  /** As percentages with one decimal: {@code 51.6 ± 2.3}, {@code 51.6} for one value, {@code —} for none. */
  public String percent() {
    return formatted(100);
  }

  /** The mean and std times {@code scale}, one decimal each. */
  private String formatted(double scale) {
    if (n == 0) {
      return "—";
    }
    String m = String.format(java.util.Locale.ROOT, "%.1f", scale * mean);
    return n == 1 ? m : m + " ± " + String.format(java.util.Locale.ROOT, "%.1f", scale * std);
  }
}
