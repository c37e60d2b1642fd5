package io.skillsd.actors.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The run's progress at a checkpoint ({@code state.json} beside the weights): with the weights, the
 * optimizer state, θ̄ and the skill bank it is everything a resumed run needs to continue exactly. Episode
 * seeds are derived from the run seed, the iteration and the episode's place, so no generator state is kept.
 *
 * @param iteration the last completed iteration
 * @param version the weights version
 * @param nextTask index of the next training task in curriculum order
 * @param optimizerSteps AdamW's step count
 * @param updates learner updates applied (they seed the minibatch shuffles)
 * @param attemptedSteps the learning-rate schedule's clock
 * @param teacherSyncedFrom the student version θ̄ was last synced from
 * @param summary what the run reports at its end so far (held-out accuracy before training, ...)
 */
public record CheckpointState(int iteration, long version, long nextTask, long launched, long completed, long retried,
    long failed, long optimizerSteps, long updates, long attemptedSteps, long teacherSyncedFrom, Map<String, Object> summary) {

  public static final String FILE = "state.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public CheckpointState {
    summary = new LinkedHashMap<>(summary);
  }

  public void write(Path checkpointDir) {
    try {
      Path tmp = checkpointDir.resolve(FILE + ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, checkpointDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + checkpointDir.resolve(FILE), e);
    }
  }

  public static CheckpointState read(Path checkpointDir) {
    Path file = checkpointDir.resolve(FILE);
    try {
      return JSON.readValue(file.toFile(), CheckpointState.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint state " + file + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** The checkpoint of {@code runDir} with the highest iteration (a complete one: it has its state file). */
  public static Optional<Path> latest(Path runDir) {
    Path dir = runDir.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(p -> Files.isRegularFile(p.resolve(FILE)))
          .max(Comparator.comparingInt((Path p) -> read(p).iteration()).thenComparing(p -> p.getFileName().toString().equals("final")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
