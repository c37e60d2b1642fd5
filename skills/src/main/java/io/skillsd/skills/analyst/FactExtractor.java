package io.skillsd.skills.analyst;

import io.skillsd.environments.Trajectory;

/**
 * Reads the facts out of one environment's trajectories. {@link AnalystSummarizer} uses the extractor
 * registered for the trajectory's environment and {@link GenericFactExtractor} for the others.
 */
@FunctionalInterface
public interface FactExtractor {

  TrajectoryFacts extract(Trajectory trajectory);
}
