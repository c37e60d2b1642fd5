package io.skillsd.policies.compute;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch is per thread and on by default in every new thread; DJL turns it off only on
 * the thread that loads the engine. Compute actors run on dispatcher threads, so each calls
 * {@link #offOnThisThread()} before working: otherwise sampling builds autograd graphs it never uses, and
 * optimizer steps (in-place updates of leaf tensors that require gradients) are refused by PyTorch.
 * {@code GradientCollector} turns it on for its own scope and restores it.
 */
public final class GradMode {

  private GradMode() {}

  public static void offOnThisThread() {
    JniUtils.setGradMode(false);
  }
}
