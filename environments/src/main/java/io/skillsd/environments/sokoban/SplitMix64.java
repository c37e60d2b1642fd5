package io.skillsd.environments.sokoban;

/**
 * The pseudo-random generator behind level generation: SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), written
 * out here so that a seed gives the same levels on every JVM version, whatever the JDK's own generators do.
 *
 * <p>State update {@code s += 0x9E3779B97F4A7C15}; output {@code z = s; z = (z ^ z>>>30) * 0xBF58476D1CE4E5B9;
 * z = (z ^ z>>>27) * 0x94D049BB133111EB; z ^ z>>>31}. Bounded integers use rejection on the top 63 bits (no
 * modulo bias); doubles use the top 53 bits.
 */
final class SplitMix64 {

  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in {@code [0, bound)}. */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, was " + bound);
    }
    while (true) {
      long bits = nextLong() >>> 1;
      long value = bits % bound;
      if (bits - value + (bound - 1) >= 0) {
        return (int) value;
      }
    }
  }

  /** Uniform in {@code [lo, hi]}, both inclusive (Python's {@code randint}). */
  int nextIntInclusive(int lo, int hi) {
    return lo + nextInt(hi - lo + 1);
  }

  /** Uniform in {@code [0, 1)}. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
