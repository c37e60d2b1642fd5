package io.skillsd.skills.analyst;

import io.skillsd.environments.Trajectory;
import io.skillsd.skills.Skill;
import io.skillsd.skills.SkillJson;
import io.skillsd.skills.summarizer.SkillSummarizer;
import io.skillsd.skills.summarizer.SummarizerCounters;
import io.skillsd.skills.summarizer.SummarizerStats;
import io.skillsd.skills.summarizer.SummaryContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The built-in analyst: writes a skill from the trajectory's facts, with no model. Deterministic and fast
 * (microseconds), so it completes on the caller's thread; the offline default summarizer. Facts come from the
 * {@link FactExtractor} registered for the trajectory's environment, or from {@link GenericFactExtractor}.
 * Named {@code analyst} in provenance.
 */
public final class AnalystSummarizer implements SkillSummarizer {

  public static final String NAME = "analyst";

  private final Map<String, FactExtractor> extractors;
  private final FactExtractor fallback = new GenericFactExtractor();
  private final SkillWriter writer;
  private final SummarizerCounters counters = new SummarizerCounters();

  /**
   * @param extractors environment-specific extractors by environment registry name
   * @param maxFieldChars the cap on each skill field
   */
  public AnalystSummarizer(Map<String, FactExtractor> extractors, int maxFieldChars) {
    this.extractors = Map.copyOf(extractors);
    this.writer = new SkillWriter(maxFieldChars);
  }

  /** Generic facts for every environment, default cap. */
  public static AnalystSummarizer generic() {
    return new AnalystSummarizer(Map.of(), SkillJson.DEFAULT_MAX_FIELD_CHARS);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SummarizerStats stats() {
    return counters.snapshot();
  }

  /** The facts this analyst reads from {@code trajectory}. */
  public TrajectoryFacts facts(Trajectory trajectory) {
    return extractors.getOrDefault(trajectory.environment(), fallback).extract(trajectory);
  }

  @Override
  public CompletableFuture<Optional<Skill>> summarize(Trajectory trajectory, SummaryContext context) {
    Objects.requireNonNull(trajectory, "trajectory");
    Objects.requireNonNull(context, "context");
    counters.requested();
    counters.attempt();
    Skill skill = writer.write(facts(trajectory), new Skill.Provenance(trajectory.task().id(),
        context.trajectoryId(), context.reward(), context.weightsVersion(), NAME));
    counters.produced();
    return CompletableFuture.completedFuture(Optional.of(skill));
  }
}
