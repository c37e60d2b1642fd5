package io.skillsd.skills.summarizer;

/**
 * A non-blocking rate limit: each request reserves the next free slot, {@code 1/rate} seconds after the
 * previous one, and is told how long to wait for it. Rate 0 means no limit.
 */
final class RequestPacer {

  private final long intervalNanos;
  private long nextSlot;

  RequestPacer(double requestsPerSecond) {
    this.intervalNanos = requestsPerSecond == 0.0 ? 0L : Math.round(1e9 / requestsPerSecond);
    this.nextSlot = System.nanoTime();
  }

  /** Reserves a slot and returns the nanoseconds to wait until it. */
  synchronized long reserve() {
    if (intervalNanos == 0L) {
      return 0L;
    }
    long now = System.nanoTime();
    long slot = now - nextSlot > 0 ? now : nextSlot;
    nextSlot = slot + intervalNanos;
    return slot - now;
  }
}
