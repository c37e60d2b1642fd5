package io.skillsd.policies.optim;

/**
 * Thrown when too many consecutive update steps had a non-finite loss or gradient: the run cannot make
 * progress and should stop with this message rather than keep skipping.
 */
public final class NonFiniteUpdateException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public NonFiniteUpdateException(String message) {
    super(message);
  }
}
