/**
 * The policy model: a Qwen2/Qwen3-family decoder ({@link io.skillsd.policies.model.CausalLm}) configured from a
 * HuggingFace {@code config.json} ({@link io.skillsd.policies.model.ModelConfig}), its KV cache, padded token
 * batches for training ({@link io.skillsd.policies.model.TokenBatch}), and the loaded-model facade
 * ({@link io.skillsd.policies.model.LanguageModel}) the CLI and actors use.
 *
 * <p>For the learner: {@code model.setTrainable(true)}, then inside a {@code GradientCollector} and a
 * sub-manager of {@code model.manager()}, {@code logpNew = model.tokenLogProbs(batch.ids(m), temperature)}
 * gives per-token log-probs [B, T] aligned with {@code batch.mask(m)} [B, T]; after {@code backward}, each
 * {@code model.parameters()} array has its gradient for the optimizer; {@code model.zeroGradients()} resets.
 */
package io.skillsd.policies.model;
