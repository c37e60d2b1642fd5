package io.skillsd.skills.summarizer;

import java.util.function.LongSupplier;

/**
 * A non-blocking rate limit: each request reserves the next free slot, {@code 1/rate} seconds after the
 * previous one, and is told how long to wait for it. Rate 0 means no limit.
 */
final class RequestPacer {

  private final long intervalNanos;
  private final LongSupplier clock;
  private long nextSlot;

  RequestPacer(double requestsPerSecond) {
    this(requestsPerSecond, System::nanoTime);
  }

  /** A pacer that reads the time, in nanoseconds, from {@code clock}. */
  RequestPacer(double requestsPerSecond, LongSupplier clock) {
    this.intervalNanos = requestsPerSecond == 0.0 ? 0L : Math.round(1e9 / requestsPerSecond);
    this.clock = clock;
    this.nextSlot = clock.getAsLong();
  }

  /** Reserves a slot and returns the nanoseconds to wait until it. */
  synchronized long reserve() {
    if (intervalNanos == 0L) {
      return 0L;
    }
    long now = clock.getAsLong();
    long slot = now - nextSlot > 0 ? now : nextSlot;
    nextSlot = slot + intervalNanos;
    return slot - now;
  }
}
