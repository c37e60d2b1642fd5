package io.skillsd.environments.miniappworld;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentProvider;
import java.util.Map;
import java.util.Set;

/** Registers {@link MiniAppWorld} as {@code miniappworld}; options: seed, max-turns, observation-max-chars, format-penalty. */
public final class MiniAppWorldProvider implements EnvironmentProvider {

  @Override
  public String name() {
    return MiniAppWorld.NAME;
  }

  @Override
  public String description() {
    return "AppWorld-style tool use: 6 apps and api_docs, 51 APIs, 60 tasks from 12 templates, judged on database state";
  }

  @Override
  public Set<String> optionKeys() {
    return MiniAppWorldSettings.KEYS;
  }

  @Override
  public Environment create(Map<String, String> options) {
    return new MiniAppWorld(MiniAppWorldSettings.fromOptions(options));
  }
}
