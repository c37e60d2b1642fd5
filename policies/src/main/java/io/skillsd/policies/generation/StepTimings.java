package io.skillsd.policies.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wall time of generation's forward steps, by kind and by rows in the batch, recorded while a recorder is
 * {@linkplain #start started}: where a rollout's time goes (a prefill of many rows against many decode steps of
 * few), for benchmarks and diagnostics. Off by default; then a step costs one volatile read more.
 *
 * <p>One recorder at a time for the whole process (generation runs on whichever thread serves it); thread-safe.
 */
public final class StepTimings {

  /**
   * A step that feeds each row one token (decode), or one where some rows feed a prompt's tokens (prefill: in
   * a continuous batch, a step that rows join; its rows count the running ones too).
   */
  public enum Kind { PREFILL, DECODE }

  /** Steps of one kind whose batch held {@code minRows} to {@code maxRows} rows (powers of two apart). */
  public record Bucket(Kind kind, int minRows, int maxRows) implements Comparable<Bucket> {
    static Bucket of(Kind kind, int rows) {
      int min = Integer.highestOneBit(rows);
      return new Bucket(kind, min, 2 * min - 1);
    }

    @Override
    public int compareTo(Bucket o) {
      return kind != o.kind ? kind.compareTo(o.kind) : Integer.compare(minRows, o.minRows);
    }

    /** "1", "2-3", "16-31". */
    public String rows() {
      return minRows == 1 ? "1" : minRows + "-" + maxRows;
    }
  }

  private static volatile StepTimings current;

  private final Map<Bucket, List<Long>> nanos = new TreeMap<>();

  /** Makes {@code recorder} the one every forward step of generation reports to, until {@link #stop}. */
  public static void start(StepTimings recorder) {
    current = recorder;
  }

  /** Stops recording. */
  public static void stop() {
    current = null;
  }

  /** Runs a forward {@code step} of {@code rows} rows, recording its wall time when a recorder is on. */
  static float[] timed(Kind kind, int rows, java.util.function.Supplier<float[]> step) {
    StepTimings timings = current;
    long start = timings == null ? 0 : System.nanoTime();
    try {
      return step.get();
    } finally {
      if (timings != null) {
        timings.record(kind, rows, System.nanoTime() - start);
      }
    }
  }

  synchronized void record(Kind kind, int rows, long nanoseconds) {
    nanos.computeIfAbsent(Bucket.of(kind, rows), b -> new ArrayList<>()).add(nanoseconds);
  }

  /** Per bucket (prefills first, fewest rows first): the recorded durations in milliseconds, sorted. */
  public synchronized Map<Bucket, double[]> millis() {
    Map<Bucket, double[]> out = new TreeMap<>();
    nanos.forEach((b, v) -> out.put(b, v.stream().mapToDouble(n -> n / 1e6).sorted().toArray()));
    return out;
  }

  /** "prefill 1 row 7.80 ms (12), 16-31 rows 61.2 ms (5); decode …": the median of each bucket and its count. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    Kind last = null;
    for (Map.Entry<Bucket, double[]> e : millis().entrySet()) {
      Bucket b = e.getKey();
      double[] ms = e.getValue();
      if (b.kind() != last) {
        s.append(last == null ? "" : "; ").append(b.kind() == Kind.PREFILL ? "prefill " : "decode ");
        last = b.kind();
      } else {
        s.append(", ");
      }
      s.append(String.format("%s row%s %.2f ms (%d)", b.rows(), b.maxRows() == 1 ? "" : "s", ms[ms.length / 2],
          ms.length));
    }
    return s.length() == 0 ? "no steps" : s.toString();
  }
}
