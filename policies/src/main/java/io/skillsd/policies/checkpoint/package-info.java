/**
 * HuggingFace-layout checkpoints: our own safetensors reader (BF16/F16 widened to float32 in Java) and
 * writer, sharded indexes, optimizer state, and one-line errors for every kind of broken checkpoint.
 */
package io.skillsd.policies.checkpoint;
