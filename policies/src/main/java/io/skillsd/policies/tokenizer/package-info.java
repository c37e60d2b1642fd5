/**
 * Tokenizers (HuggingFace {@code tokenizer.json} through DJL, and the built-in word tokenizer of the tiny
 * model) and chat templates (ChatML, plain).
 */
package io.skillsd.policies.tokenizer;
