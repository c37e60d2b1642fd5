/**
 * MiniAppWorld, an AppWorld-style tool-use world judged on database state:
 * {@link io.skillsd.environments.miniappworld.WorldGenerator} (the seeded world),
 * {@link io.skillsd.environments.miniappworld.Database} (tables, copies, row-level diffs), the apps and their
 * dispatcher ({@code AppCatalog}, one class per app), {@link io.skillsd.environments.miniappworld.ToolCall}
 * (the action format), the task templates ({@code Templates}) and their
 * {@link io.skillsd.environments.miniappworld.TaskEvaluation},
 * {@link io.skillsd.environments.miniappworld.MiniAppWorld} (the environment),
 * {@link io.skillsd.environments.miniappworld.ReferenceSolver} (the scripted agent),
 * {@link io.skillsd.environments.miniappworld.GoalCompletion} (TGC and SGC) and
 * {@link io.skillsd.environments.miniappworld.AppWorldAnalysis} (the trajectory analyst's input).
 */
package io.skillsd.environments.miniappworld;
