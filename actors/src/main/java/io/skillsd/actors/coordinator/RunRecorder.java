package io.skillsd.actors.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.actors.rollout.EpisodeResult;
import io.skillsd.environments.Trajectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the run directory's records: {@code metrics.jsonl} (one line per iteration or evaluation) and
 * {@code trajectories/<stage>.jsonl} (every turn of every episode; per-token log-probs on request).
 */
final class RunRecorder implements AutoCloseable {

  static final String METRICS = "metrics.jsonl";
  static final String TRAJECTORIES = "trajectories";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final BufferedWriter metrics;
  private final boolean tokenLogProbs;

  RunRecorder(Path root, boolean tokenLogProbs) {
    this.root = root;
    this.tokenLogProbs = tokenLogProbs;
    try {
      Files.createDirectories(root.resolve(TRAJECTORIES));
      this.metrics = Files.newBufferedWriter(root.resolve(METRICS), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run records in " + root, e);
    }
  }

  void metrics(Map<String, Object> line) {
    try {
      metrics.write(JSON.writeValueAsString(line));
      metrics.newLine();
      metrics.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + root.resolve(METRICS), e);
    }
  }

  /** One line per episode. {@code extra} holds the learner's view (reward, advantage, skill). */
  void trajectories(String stage, List<EpisodeResult> results, Map<String, Map<String, Object>> extra,
      Map<String, float[]> teacherLogp) {
    Path file = root.resolve(TRAJECTORIES).resolve(stage + ".jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (EpisodeResult r : results) {
        Map<String, Object> line = new LinkedHashMap<>();
        Trajectory t = r.trajectory();
        line.put("episodeId", r.episode().episodeId());
        line.put("task", t.task().id());
        line.put("iteration", r.episode().iteration());
        line.put("version", r.version());
        line.put("node", r.node());
        line.put("success", t.metrics().success());
        line.put("completion", t.metrics().completion());
        line.put("return", t.totalReward());
        if (r.contextFull()) {
          line.put("contextFull", true); // ended because the dialogue filled the model's context
        }
        line.putAll(extra.getOrDefault(r.episode().episodeId(), Map.of()));
        line.put("firstObservation", t.firstObservation());
        List<Map<String, Object>> turns = new ArrayList<>();
        for (Trajectory.Turn turn : t.turns()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("action", turn.actionText());
          m.put("reward", turn.reward());
          m.put("valid", turn.result().actionValid());
          m.put("done", turn.result().done());
          m.put("observation", turn.result().observation());
          turns.add(m);
        }
        line.put("turns", turns);
        if (tokenLogProbs) {
          line.put("tokens", r.transcript().tokens());
          line.put("sampled", r.transcript().sampled());
          line.put("logpStudent", r.logpOld());
          Optional.ofNullable(teacherLogp.get(r.episode().episodeId())).ifPresent(lp -> line.put("logpTeacher", lp));
        }
        w.write(JSON.writeValueAsString(line));
        w.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      metrics.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
