/**
 * Text Sokoban, matching RAGEN's SimpleSokoban: {@link io.skillsd.environments.sokoban.Sokoban} (the rules),
 * {@link io.skillsd.environments.sokoban.LevelGenerator} (gym-sokoban's generator, seeded),
 * {@link io.skillsd.environments.sokoban.SokobanSolver} (optimal BFS with deadlock pruning),
 * {@link io.skillsd.environments.sokoban.SokobanEnvironment} (the turn protocol and action parser),
 * {@link io.skillsd.environments.sokoban.SokobanAnalysis} (the trajectory analyst's input) and the agents.
 */
package io.skillsd.environments.sokoban;
