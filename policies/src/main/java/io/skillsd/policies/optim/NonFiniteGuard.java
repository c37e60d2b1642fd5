package io.skillsd.policies.optim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips an update step whose loss or gradient norm is NaN or infinite, logs it, and stops the run with a
 * {@link NonFiniteUpdateException} after {@code maxConsecutive} such steps in a row. A finite step resets
 * the count.
 */
public final class NonFiniteGuard {

  private static final Logger LOG = LoggerFactory.getLogger(NonFiniteGuard.class);

  private final int maxConsecutive;
  private int consecutive;
  private long skippedTotal;

  /** @param maxConsecutive N ≥ 1: the N-th consecutive non-finite step throws */
  public NonFiniteGuard(int maxConsecutive) {
    if (maxConsecutive < 1) {
      throw new IllegalArgumentException("maxConsecutive must be >= 1, was " + maxConsecutive);
    }
    this.maxConsecutive = maxConsecutive;
  }

  /**
   * @param step the attempted step's index, for the log
   * @return true when the step may be applied, false when it must be skipped
   * @throws NonFiniteUpdateException on the N-th consecutive non-finite step
   */
  public boolean admit(long step, double loss, double gradNorm) {
    if (Double.isFinite(loss) && Double.isFinite(gradNorm)) {
      consecutive = 0;
      return true;
    }
    consecutive++;
    skippedTotal++;
    if (consecutive >= maxConsecutive) {
      throw new NonFiniteUpdateException(
          consecutive + " consecutive update steps had a non-finite loss or gradient (last: step "
              + step + ", loss=" + loss + ", gradNorm=" + gradNorm + "); stopping. Lower the learning"
              + " rate, enable ell clipping, or check the log-probs fed to the loss.");
    }
    LOG.warn(
        "skipping update step {}: loss={} gradNorm={} ({} of at most {} in a row)",
        step, loss, gradNorm, consecutive, maxConsecutive - 1);
    return false;
  }

  /** Non-finite steps in a row so far. */
  public int consecutive() {
    return consecutive;
  }

  /** Steps skipped since creation. */
  public long skippedTotal() {
    return skippedTotal;
  }
}
