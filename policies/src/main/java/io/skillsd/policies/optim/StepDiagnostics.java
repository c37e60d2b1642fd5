package io.skillsd.policies.optim;

import java.util.OptionalDouble;

/**
 * What one optimizer step did, as plain numbers (nothing NDArray-shaped leaves the step).
 *
 * @param step the attempted step's index (0-based, counts skipped steps too)
 * @param epoch the pass over the batch
 * @param skipped true when the non-finite guard skipped it (the weights did not change)
 * @param loss L_total
 * @param grpoLoss L_GRPO (unweighted)
 * @param distillationLoss L_SDL or L_KL (unweighted)
 * @param refKl mean k3 reference KL (0 when off)
 * @param clipFraction fraction of loss tokens clipped by the GRPO clip
 * @param meanRatio mean r = π_θ/π_θold
 * @param meanRho mean ρ over distilled tokens
 * @param maxRho max ρ over distilled tokens
 * @param meanEll mean ℓ = log π_θ − log π_θ̄ over distilled tokens (teacher–student gap)
 * @param meanK3 mean e^{−ℓ} − 1 + ℓ over distilled tokens
 * @param ellClipFraction fraction of distilled tokens whose ℓ was clipped
 * @param vocabularyKl mean per-position reverse KL (vocabulary distillation only)
 * @param entropy mean student entropy over loss tokens, when the model gave logits
 * @param gradNorm global gradient norm before clipping
 * @param gradClipped whether the clip scaled the gradient
 * @param tokens N, loss tokens of the minibatch
 * @param distilledTokens loss tokens of trajectories with a skill
 * @param learningRate η used (0 when skipped)
 * @param maintenanceLoss the maintenance term's value, unweighted: the mean negative log-likelihood of the
 *     replayed tokens, or the mean KL to the initial model per replayed token (0 when the step had no
 *     maintenance sequences)
 * @param maintenanceTokens tokens of the maintenance term
 */
public record StepDiagnostics(
    long step,
    int epoch,
    boolean skipped,
    double loss,
    double grpoLoss,
    double distillationLoss,
    double refKl,
    double clipFraction,
    double meanRatio,
    double meanRho,
    double maxRho,
    double meanEll,
    double meanK3,
    double ellClipFraction,
    double vocabularyKl,
    OptionalDouble entropy,
    double gradNorm,
    boolean gradClipped,
    long tokens,
    long distilledTokens,
    double learningRate,
    double maintenanceLoss,
    long maintenanceTokens) {}
