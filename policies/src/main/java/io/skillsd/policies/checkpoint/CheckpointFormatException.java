package io.skillsd.policies.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be used as it is: a missing, truncated or malformed file, a tensor of the wrong
 * shape, an unknown architecture or an unsupported dtype. The message is one line that names the file
 * and what is wrong with it.
 */
public final class CheckpointFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CheckpointFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
