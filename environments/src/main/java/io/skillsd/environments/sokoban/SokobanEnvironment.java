package io.skillsd.environments.sokoban;

import io.skillsd.environments.Environment;
import io.skillsd.environments.EpisodeMetrics;
import io.skillsd.environments.ReferenceAgent;
import io.skillsd.environments.StepResult;
import io.skillsd.environments.Task;
import io.skillsd.environments.TaskSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Text Sokoban with RAGEN's turn protocol.
 *
 * <p>Each turn the model answers {@code <answer>A || B || …</answer>} (see {@link SokobanAnswer}); the actions
 * run in order under {@link Sokoban}'s rules until the episode's action budget is spent or the level ends. The
 * turn's reward is the sum of its step rewards, plus {@link SokobanSettings#formatPenalty()} when the answer
 * is malformed. The episode ends when the level is solved, the step cap or the action budget is reached, or
 * the last turn is played.
 *
 * <p>The observation is the grid (legend in {@link Level}) followed by {@code You have N actions left.}
 *
 * <p>Info keys, beyond {@code success}, {@code actionValid} and {@code actionEffective} (a move of this turn
 * changed the player's position): {@value #ACTIONS} (the parsed actions), {@value #MOVES} (the actions that
 * ran), {@value #PUSHES} (per move that ran, whether it pushed a box), {@value #BOXES} ({@code "row,col"} of
 * each box after the turn), {@value #PLAYER}, {@value #BOXES_ON_TARGET}, {@value #STEPS} (steps so far),
 * {@value #ACTIONS_LEFT}, {@value #TURN}, {@value #FORMAT_PENALTY}, {@value #TRUNCATED} (ended without success)
 * and, for a malformed answer, {@value #INVALID_REASON}.
 */
public final class SokobanEnvironment implements Environment {

  public static final String NAME = "sokoban";

  public static final String ACTIONS = "actions";
  public static final String MOVES = "moves";
  public static final String PUSHES = "pushes";
  public static final String BOXES = "boxes";
  public static final String PLAYER = "player";
  public static final String BOXES_ON_TARGET = "boxesOnTarget";
  public static final String STEPS = "steps";
  public static final String ACTIONS_LEFT = "actionsLeft";
  public static final String TURN = "turn";
  public static final String FORMAT_PENALTY = "formatPenalty";
  public static final String TRUNCATED = "truncated";
  public static final String INVALID_REASON = "invalidReason";

  private static final Pattern PLAIN_SEPARATORS = Pattern.compile("\\s*(?:,|\\|\\|)\\s*");

  private final SokobanSettings settings;
  private final SokobanLevels levels;
  private Sokoban game;
  private int turns;
  private int actionsUsed;
  private boolean done;

  public SokobanEnvironment(SokobanSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.levels = new SokobanLevels(settings);
  }

  public SokobanSettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String instructions() {
    String answer = settings.oneActionPerTurn()
        ? "Answer with exactly one action per turn, inside answer tags, for example <answer>Up</answer>."
        : "Answer with up to " + settings.maxActionsPerTurn() + " actions per turn, separated by \" "
            + SokobanAnswer.SEPARATOR + " \", inside answer tags, for example <answer>Right || Right || Up</answer>.";
    return "You are the player in a Sokoban puzzle: get every box onto a target. Walking into a box pushes it "
        + "one cell if the cell behind it is empty or a target. Boxes cannot be pulled, and a box cannot be "
        + "pushed into a wall or into another box.\n"
        + "Symbols in the state: " + Level.LEGEND + "\n"
        + "Actions: Up, Down, Left, Right\n"
        + answer + " You may reason first inside <think>...</think>. You have at most "
        + settings.maxActions() + " actions over " + settings.maxTurns() + " turns.";
  }

  @Override
  public TaskSet tasks() {
    return SokobanLevels.taskSet(settings);
  }

  @Override
  public String reset(Task task) {
    return reset(levels.levelFor(task.seed()).level());
  }

  /** Starts a new episode on a given level (a hand-made one, say) and returns its first observation. */
  public String reset(Level level) {
    game = new Sokoban(level);
    turns = 0;
    actionsUsed = 0;
    done = false;
    return observation();
  }

  @Override
  public StepResult step(String actionText) {
    requireEpisode();
    if (done) {
      throw new IllegalStateException("the episode is over; reset before stepping again");
    }
    turns++;
    SokobanAnswer answer = SokobanAnswer.parse(actionText, settings.maxActionsPerTurn());
    double reward = 0;
    List<String> moves = new ArrayList<>();
    List<Boolean> pushes = new ArrayList<>();
    boolean effective = false;
    for (Direction d : answer.actions()) {
      if (actionsUsed >= settings.maxActions() || game.solved() || game.steps() >= settings.maxSteps()) {
        break;
      }
      int before = game.boxesOnTarget();
      int result = game.move(d.id());
      actionsUsed++;
      reward += Sokoban.reward(before, game.boxesOnTarget(), game.boxCount());
      moves.add(d.label());
      pushes.add((result & Sokoban.PUSHED) != 0);
      effective |= (result & Sokoban.MOVED) != 0;
    }
    double penalty = answer.valid() ? 0.0 : settings.formatPenalty();
    reward += penalty;
    boolean solved = game.solved();
    done = solved || game.steps() >= settings.maxSteps() || actionsUsed >= settings.maxActions()
        || turns >= settings.maxTurns();

    Map<String, Object> info = new LinkedHashMap<>();
    info.put(StepResult.SUCCESS, solved);
    info.put(StepResult.ACTION_VALID, answer.valid());
    info.put(StepResult.ACTION_EFFECTIVE, effective);
    info.put(ACTIONS, answer.actions().stream().map(Direction::label).collect(Collectors.toUnmodifiableList()));
    info.put(MOVES, List.copyOf(moves));
    info.put(PUSHES, List.copyOf(pushes));
    List<String> boxes = new ArrayList<>();
    for (int b : game.boxes()) {
      boxes.add(game.level().position(b));
    }
    info.put(BOXES, List.copyOf(boxes));
    info.put(PLAYER, game.level().position(game.player()));
    info.put(BOXES_ON_TARGET, game.boxesOnTarget());
    info.put(STEPS, game.steps());
    info.put(ACTIONS_LEFT, actionsLeft());
    info.put(TURN, turns);
    info.put(FORMAT_PENALTY, penalty);
    info.put(TRUNCATED, done && !solved);
    answer.invalidReason().ifPresent(r -> info.put(INVALID_REASON, r));
    return new StepResult(observation(), reward, done, info);
  }

  @Override
  public EpisodeMetrics metrics() {
    requireEpisode();
    return new EpisodeMetrics(game.solved(), (double) game.boxesOnTarget() / game.boxCount());
  }

  @Override
  public String render() {
    requireEpisode();
    return game.render();
  }

  /** Whether the current episode has ended. */
  public boolean done() {
    return done;
  }

  /** The actions this episode may still take: the smaller of the action budget and the steps left. */
  public int actionsLeft() {
    requireEpisode();
    return Math.max(0, Math.min(settings.maxActions() - actionsUsed, settings.maxSteps() - game.steps()));
  }

  /** The level of the current episode, as it started. */
  public Level level() {
    requireEpisode();
    return game.level();
  }

  /**
   * {@code Up} becomes {@code <answer>Up</answer>}; several actions separated by commas or {@code ||}
   * ({@code Up, Left}) become one answer {@code <answer>Up || Left</answer>}. Words are passed through as typed,
   * so a wrong word reaches the parser and is penalized there.
   */
  @Override
  public String formatAction(String plainAction) {
    String[] words = PLAIN_SEPARATORS.split(plainAction.strip());
    return "<answer>" + String.join(" " + SokobanAnswer.SEPARATOR + " ", words) + "</answer>";
  }

  @Override
  public Optional<Task> taskForSeed(long seed) {
    return Optional.of(levels.taskForSeed(seed));
  }

  /** The level's {@linkplain Level#relativeLayout() relative layout}: boxes and targets as seen from the player. */
  @Override
  public Optional<String> similarityKey(Task task) {
    return Optional.of(levels.levelFor(task.seed()).level().relativeLayout());
  }

  @Override
  public Optional<ReferenceAgent> referenceAgent() {
    return Optional.of(new SokobanReferenceAgent());
  }

  private String observation() {
    return game.render() + "\nYou have " + actionsLeft() + " actions left.";
  }

  private void requireEpisode() {
    if (game == null) {
      throw new IllegalStateException("no episode: call reset(task) first");
    }
  }
}
