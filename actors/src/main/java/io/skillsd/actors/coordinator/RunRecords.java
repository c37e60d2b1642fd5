package io.skillsd.actors.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The records a run wrote after one of its checkpoints. A run stopped between checkpoints (a second
 * Ctrl-C, a killed process, a lost machine) has metrics lines and trajectory files of iterations that a run
 * resumed from that checkpoint plays again; {@link #rollBackTo} removes them first, so the resumed run's
 * records read as one straight run's.
 */
public final class RunRecords {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STAGE = Pattern.compile("(iter|eval)-(\\d+)\\.jsonl");

  private RunRecords() {}

  /** What {@link #rollBackTo} removed. */
  public record RolledBack(int metricsLines, List<String> trajectoryFiles) {
    public boolean any() {
      return metricsLines > 0 || !trajectoryFiles.isEmpty();
    }
  }

  /**
   * Removes what {@code runDir} recorded after the checkpoint of {@code iteration}: training lines and
   * trajectory files of later iterations, and evaluations from that iteration on (a resumed run makes the
   * evaluation that follows its checkpoint again). The evaluation before training is kept.
   */
  public static RolledBack rollBackTo(Path runDir, int iteration) {
    int lines = rollBackMetrics(runDir.resolve(RunRecorder.METRICS), iteration);
    List<String> files = new ArrayList<>();
    Path dir = runDir.resolve(RunRecorder.TRAJECTORIES);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> children = Files.list(dir)) {
        for (Path p : children.sorted().toList()) {
          Matcher m = STAGE.matcher(p.getFileName().toString());
          if (m.matches() && after(m.group(1).equals("eval"), Integer.parseInt(m.group(2)), iteration)) {
            Files.delete(p);
            files.add(p.getFileName().toString());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot roll back the trajectories of " + runDir, e);
      }
    }
    return new RolledBack(lines, List.copyOf(files));
  }

  private static boolean after(boolean evaluation, int at, int checkpoint) {
    return evaluation ? at >= checkpoint && at > 0 : at > checkpoint;
  }

  private static int rollBackMetrics(Path file, int iteration) {
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    try {
      List<String> kept = new ArrayList<>();
      int removed = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode m;
        try {
          m = JSON.readTree(line);
        } catch (IOException e) {
          removed++; // a line cut short when the process died
          continue;
        }
        boolean evaluation = m.path("type").asText().equals("eval");
        boolean before = evaluation && m.path("label").asText().equals("before");
        if (!before && after(evaluation, m.path("iteration").asInt(), iteration)) {
          removed++;
        } else {
          kept.add(line);
        }
      }
      if (removed > 0) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return removed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot roll back " + file, e);
    }
  }
}
