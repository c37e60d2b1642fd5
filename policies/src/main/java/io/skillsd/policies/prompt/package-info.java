/**
 * Prompts that carry the paper's guarantee in their types ({@link io.skillsd.policies.prompt.StudentPrompt}
 * has no skill, {@link io.skillsd.policies.prompt.TeacherPrompt} has one in its system part, and neither
 * converts into the other) and token-level transcripts that grow by appending, never by re-tokenizing.
 */
package io.skillsd.policies.prompt;
