package io.skillsd.actors.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.settings.SkillsdSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder a run writes everything a user inspects into: {@code runs/<run-id>/} with the resolved
 * {@code config.conf} and {@code logs/} (later also metrics, trajectories, skills, checkpoints, report, the
 * summary written when the run ends, and the final evaluations an experiment adds).
 */
public final class RunDirectory {

  /** The resolved configuration, as HOCON. */
  public static final String CONFIG_FILE = "config.conf";
  /** The summary file a run writes when it ends; {@code "ok": true} marks a finished run. */
  public static final String SUMMARY_FILE = "summary.json";
  /** The folder that holds a run's final evaluations, one run directory per split. */
  public static final String FINAL_EVALS_DIR = "final-evals";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final String runId;
  private final Path root;

  private RunDirectory(String runId, Path root) {
    this.runId = runId;
    this.root = root;
  }

  /**
   * Creates a new run directory for {@code settings} and writes the resolved config into it. A run id that
   * is already taken is an error (resume uses {@link #open(Path)}); an automatic id gets a numeric suffix.
   */
  public static RunDirectory create(SkillsdSettings settings, Clock clock) {
    return create(settings, clock, "");
  }

  /**
   * As {@link #create(SkillsdSettings, Clock)}, with {@code kind} appended to an automatic id (e.g.
   * {@code 20261127-001500-sokoban-eval}); an id set in the settings is used as it is.
   */
  public static RunDirectory create(SkillsdSettings settings, Clock clock, String kind) {
    Path parent = settings.run().dir();
    try {
      Files.createDirectories(parent);
      RunDirectory dir;
      if (settings.run().id().isPresent()) {
        String id = settings.run().id().get();
        Path root = parent.resolve(id);
        try {
          Files.createDirectory(root);
        } catch (FileAlreadyExistsException e) {
          throw new IllegalStateException("run directory " + root + " already exists; choose another skillsd.run.id"
              + " or resume it with --resume " + root);
        }
        dir = new RunDirectory(id, root);
      } else {
        String base = ID_TIME.format(clock.instant()) + "-" + settings.environment().name()
            + (kind.isEmpty() ? "" : "-" + kind);
        dir = null;
        for (int n = 0; dir == null; n++) {
          String id = n == 0 ? base : base + "-" + n;
          try {
            dir = new RunDirectory(id, Files.createDirectory(parent.resolve(id)));
          } catch (FileAlreadyExistsException e) {
            // taken in the same second: try the next suffix
          }
        }
      }
      Files.createDirectories(dir.logs());
      Files.writeString(dir.root.resolve(CONFIG_FILE), settings.renderResolved() + "\n", StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a run directory under " + parent.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** Opens an existing run directory (for resume and inspection). */
  public static RunDirectory open(Path root) {
    if (!Files.isRegularFile(root.resolve(CONFIG_FILE))) {
      throw new IllegalArgumentException(root + " is not a run directory (it has no " + CONFIG_FILE + ")");
    }
    return new RunDirectory(root.getFileName().toString(), root);
  }

  public String runId() {
    return runId;
  }

  public Path root() {
    return root;
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path config() {
    return root.resolve(CONFIG_FILE);
  }

  /** Whether {@code root} holds a run that ended successfully (its summary exists and says ok). */
  public static boolean finished(Path root) {
    Path summary = root.resolve(SUMMARY_FILE);
    if (!Files.isRegularFile(summary)) {
      return false;
    }
    try {
      return JSON.readTree(summary.toFile()).path("ok").asBoolean(false);
    } catch (IOException e) {
      return false; // a summary cut short by an interruption: the run did not finish
    }
  }

  /** Deletes {@code dir} and everything in it, if it exists; {@code what} names it in the error. */
  public static void deleteTree(Path dir, String what) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + what + " " + dir, e);
    }
  }
}
