package io.skillsd.tests.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the JMH benchmarks of this package. Arguments are JMH's own ({@code -f}, {@code -wi}, {@code -i},
 * {@code -w}, {@code -r}, a benchmark regex, …); with none, every benchmark here runs briefly: 1 fork, 2
 * warm-up and 3 measured iterations of 1 second. Commands are in {@code docs/BENCHMARKS.md}.
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
    if (jmhArgs.isEmpty()) {
      jmhArgs.addAll(List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s",
          BenchMain.class.getPackageName() + ".*"));
    }
    org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
  }
}
