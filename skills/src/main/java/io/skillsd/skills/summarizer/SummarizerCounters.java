package io.skillsd.skills.summarizer;

import java.util.concurrent.atomic.LongAdder;

/** The live, thread-safe counters behind {@link SummarizerStats}. */
public final class SummarizerCounters {

  final LongAdder requested = new LongAdder();
  final LongAdder produced = new LongAdder();
  final LongAdder droppedInvalid = new LongAdder();
  final LongAdder droppedFailed = new LongAdder();
  final LongAdder attempts = new LongAdder();
  final LongAdder invalidAnswers = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  final LongAdder otherFailures = new LongAdder();

  public void requested() {
    requested.increment();
  }

  public void produced() {
    produced.increment();
  }

  public void droppedInvalid() {
    droppedInvalid.increment();
  }

  public void droppedFailed() {
    droppedFailed.increment();
  }

  public void attempt() {
    attempts.increment();
  }

  public void invalidAnswer() {
    invalidAnswers.increment();
  }

  void failure(GenerationException.Kind kind) {
    switch (kind) {
      case TIMEOUT -> timeouts.increment();
      case RATE_LIMITED -> rateLimited.increment();
      default -> otherFailures.increment();
    }
  }

  public SummarizerStats snapshot() {
    return new SummarizerStats(requested.sum(), produced.sum(), droppedInvalid.sum(), droppedFailed.sum(),
        attempts.sum(), invalidAnswers.sum(), timeouts.sum(), rateLimited.sum(), otherFailures.sum());
  }
}
