/**
 * Batched sampling with a KV cache (ragged prompts, per-row stop conditions, temperature and top-p, seeded
 * per row) returning tokens and their log-probs, and batched scoring of given sequences.
 */
package io.skillsd.policies.generation;
