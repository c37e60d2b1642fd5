package io.skillsd.policies.compute;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch is per thread and on by default in every new thread; DJL turns it off only on
 * the thread that loads the engine. Compute actors run on dispatcher threads, so each calls
 * {@link #offOnThisThread()} before working: otherwise sampling builds autograd graphs it never uses, and
 * optimizer steps (in-place updates of leaf tensors that require gradients) are refused by PyTorch.
 * {@code GradientCollector} turns it on for its own scope and restores it.
 *
 * <p>The intra-op thread count is per thread too, for the BLAS and OpenMP libtorch calls into: DJL applies
 * {@code ai.djl.pytorch.num_threads} on the thread that loads the engine only, and a dispatcher thread's matrix
 * products would otherwise run on the libraries' default (every core), contending with the runtime's other
 * threads. So the first call on a thread applies that setting there too.
 */
public final class GradMode {

  private static final ThreadLocal<Boolean> THREADS_APPLIED = ThreadLocal.withInitial(() -> false);

  private GradMode() {}

  public static void offOnThisThread() {
    JniUtils.setGradMode(false);
    if (!THREADS_APPLIED.get()) {
      THREADS_APPLIED.set(true);
      String threads = System.getProperty("ai.djl.pytorch.num_threads");
      if (threads != null && !threads.isBlank()) {
        JniUtils.setNumThreads(Integer.parseInt(threads.trim()));
      }
    }
  }
}
