package io.skillsd.environments.sokoban;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentProvider;
import java.util.Map;
import java.util.Set;

/** Registers {@link SokobanEnvironment} as {@code sokoban}; options per {@link SokobanSettings#fromOptions}. */
public final class SokobanProvider implements EnvironmentProvider {

  @Override
  public String name() {
    return SokobanEnvironment.NAME;
  }

  @Override
  public String description() {
    return "Text Sokoban as in RAGEN (presets ragen: 6x6, 1 box; skill-sd: 6x6, 2 boxes, 40 steps), "
        + "generated levels proven solvable by an optimal solver";
  }

  @Override
  public Set<String> optionKeys() {
    return SokobanSettings.OPTION_KEYS;
  }

  @Override
  public Environment create(Map<String, String> options) {
    return new SokobanEnvironment(SokobanSettings.fromOptions(options));
  }
}
