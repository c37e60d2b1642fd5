/** Throughput and memory measurements of the policy model against the PyTorch eager reference. */
package io.skillsd.policies.bench;
