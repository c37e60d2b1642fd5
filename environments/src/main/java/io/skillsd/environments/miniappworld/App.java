package io.skillsd.environments.miniappworld;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One app of the world and its APIs, in documentation order. */
record App(String name, String description, List<ApiSpec> apis) {
  App {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    apis = List.copyOf(apis);
    for (ApiSpec api : apis) {
      if (!api.app().equals(name)) {
        throw new IllegalArgumentException("API " + api.qualifiedName() + " listed under app " + name);
      }
    }
  }

  Optional<ApiSpec> api(String apiName) {
    return apis.stream().filter(a -> a.name().equals(apiName)).findFirst();
  }

  List<String> apiNames() {
    return apis.stream().map(ApiSpec::name).toList();
  }
}
