package io.skillsd.policies.model;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test fixtures written by {@code src/test/python/qwen_reference.py fixtures}. */
public final class Fixtures {
  private Fixtures() {}

  /** The checkpoint directory of a parity fixture: qwen2, qwen3 or qwen3-bf16. */
  public static Path parity(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/parity/" + name + "/config.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
