package io.skillsd.skills.summarizer;

import io.skillsd.environments.Trajectory;
import io.skillsd.skills.Skill;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a finished trajectory into a skill (Skill-SD, component 2), off the training loop's critical path.
 *
 * <p>Implementations: {@link io.skillsd.skills.analyst.AnalystSummarizer} (deterministic, from the
 * trajectory's facts; the offline default) and {@link ModelSummarizer} (a language model over any
 * {@link TextGenerator}: an OpenAI-compatible endpoint or the policy itself).
 *
 * <p>Contract: the future completes with a skill whose provenance carries {@code context} and this
 * summarizer's {@link #name()}, and whose fields are within the configured size cap; or with empty when no
 * valid skill could be made (a model kept answering malformed JSON, the endpoint timed out or is down), which
 * is counted in {@link #stats()}. Expected failures never complete the future exceptionally. Implementations
 * are thread-safe: many trajectories may be in flight at once.
 */
public interface SkillSummarizer {

  /** The name recorded in each skill's provenance, e.g. {@code analyst}, {@code openai:qwen3-8b}, {@code policy}. */
  String name();

  /** Summarizes {@code trajectory}; see the interface contract. */
  CompletableFuture<Optional<Skill>> summarize(Trajectory trajectory, SummaryContext context);

  /** What this summarizer has done so far. */
  SummarizerStats stats();
}
