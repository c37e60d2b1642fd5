package io.skillsd.skills.summarizer;

/**
 * A summarizer's counters at one moment. Each summarize call ends in exactly one of {@code produced},
 * {@code droppedInvalid} (every attempt answered malformed JSON) or {@code droppedFailed} (the generator
 * timed out, was rate limited, refused or was unreachable on the last attempt allowed).
 *
 * @param requested summarize calls received
 * @param produced valid skills returned
 * @param droppedInvalid calls that ended without a skill because the answers were invalid
 * @param droppedFailed calls that ended without a skill because generation failed
 * @param attempts generation attempts made (first tries and retries)
 * @param invalidAnswers answers rejected by validation (each is retried while attempts remain)
 * @param timeouts attempts that ran past the attempt timeout
 * @param rateLimited attempts the endpoint refused with HTTP 429
 * @param otherFailures attempts that failed otherwise (unreachable, HTTP 5xx or 4xx, malformed response)
 */
public record SummarizerStats(
    long requested,
    long produced,
    long droppedInvalid,
    long droppedFailed,
    long attempts,
    long invalidAnswers,
    long timeouts,
    long rateLimited,
    long otherFailures) {

  /** Calls that ended without a skill. */
  public long dropped() {
    return droppedInvalid + droppedFailed;
  }

  /** Calls still in flight. */
  public long pending() {
    return requested - produced - dropped();
  }
}
