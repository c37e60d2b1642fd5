package io.skillsd.environments.miniappworld;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The mutable state of one episode: its own copy of the database, the access tokens handed out so far, the
 * episode clock for new rows, and the supervisor's final {@code complete_task} call.
 */
final class Session {

  final Database db;
  final World.Person supervisor;
  private final Random tokenRandom;
  private final Map<String, String> tokenApps = new HashMap<>();
  private int minutes;
  private boolean completed;
  private Optional<String> answer = Optional.empty();
  private String status = "";

  Session(Database db, World.Person supervisor, long seed) {
    this.db = Objects.requireNonNull(db, "db");
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.tokenRandom = new Random(seed ^ 0x5DEECE66DL);
  }

  /** A fresh access token for {@code app}; earlier tokens stay valid. */
  String issueToken(String app) {
    byte[] bytes = new byte[8];
    tokenRandom.nextBytes(bytes);
    String token = app + "-" + HexFormat.of().formatHex(bytes);
    tokenApps.put(token, app);
    return token;
  }

  boolean tokenValidFor(String token, String app) {
    return app.equals(tokenApps.get(token));
  }

  /** The time stamped on rows the agent creates: June 1st 2026, one minute per call. */
  String now() {
    minutes++;
    return String.format(Locale.ROOT, "2026-06-01 %02d:%02d", 9 + minutes / 60, minutes % 60);
  }

  void complete(Optional<String> answer, String status) {
    this.completed = true;
    this.answer = answer;
    this.status = status;
  }

  boolean completed() {
    return completed;
  }

  Optional<String> answer() {
    return answer;
  }

  String status() {
    return status;
  }
}
