package io.skillsd.tests.bench;

import io.skillsd.environments.Task;
import io.skillsd.environments.sokoban.Direction;
import io.skillsd.environments.sokoban.Level;
import io.skillsd.environments.sokoban.ProvenLevel;
import io.skillsd.environments.sokoban.Sokoban;
import io.skillsd.environments.sokoban.SokobanLevels;
import io.skillsd.environments.sokoban.SokobanSettings;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How far a Sokoban skill carries between levels of the same {@linkplain Level#relativeLayout() layout} (what
 * {@code skillsd.train.skill-retrieval = similar} shares skills by): how many layouts the training levels
 * have, how many held-out levels share one with a training level, and how many of those the optimal plan of
 * the first training level with their layout solves, played move by move. Usage: {@code SokobanLayouts
 * [option=value ...]} with the environment's options (default {@code preset=ragen}), e.g. {@code
 * train-size=256 test-size=4096}.
 */
public final class SokobanLayouts {

  private SokobanLayouts() {}

  public static void main(String[] args) {
    Map<String, String> options = new LinkedHashMap<>(Map.of("preset", SokobanSettings.RAGEN));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("options are option=value, was " + arg);
      }
      options.put(kv[0], kv[1]);
    }
    SokobanSettings settings = SokobanSettings.fromOptions(options);
    SokobanLevels levels = new SokobanLevels(settings);
    Map<String, ProvenLevel> firstOfLayout = new HashMap<>();
    List<Task> train = SokobanLevels.taskSet(settings).train();
    for (Task t : train) {
      ProvenLevel level = levels.levelFor(t.seed());
      firstOfLayout.putIfAbsent(level.level().relativeLayout(), level);
    }
    List<Task> test = SokobanLevels.taskSet(settings).test();
    int shared = 0;
    int solved = 0;
    for (Task t : test) {
      Level level = levels.levelFor(t.seed()).level();
      ProvenLevel twin = firstOfLayout.get(level.relativeLayout());
      if (twin != null) {
        shared++;
        solved += solves(level, twin.solution().plan()) ? 1 : 0;
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d training levels, %d layouts; %d of %d held-out levels (%.1f%%) share a "
        + "layout with a training level; that level's optimal plan solves %d of them (%.1f%%), %.1f%% of all "
        + "held-out levels%n", options, train.size(), firstOfLayout.size(), shared, test.size(),
        100.0 * shared / test.size(), solved, 100.0 * solved / Math.max(1, shared), 100.0 * solved / test.size());
  }

  /** Whether playing {@code plan} from the start of {@code level} solves it (possibly before the last move). */
  static boolean solves(Level level, List<Direction> plan) {
    Sokoban game = new Sokoban(level);
    for (Direction d : plan) {
      game.step(d.id());
      if (game.solved()) {
        return true;
      }
    }
    return game.solved();
  }
}
