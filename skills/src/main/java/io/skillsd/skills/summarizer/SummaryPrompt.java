package io.skillsd.skills.summarizer;

import io.skillsd.environments.StepResult;
import io.skillsd.environments.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The prompt that asks a language model for a skill: a fixed system prompt stating the three-field JSON
 * format, and a user prompt holding the trajectory as a transcript. Long transcripts keep their first and
 * last turns within a character budget and say how many turns were left out. {@code docs/SKILLS.md}
 * reproduces the text.
 */
public final class SummaryPrompt {

  /** The system prompt; {@code %d} is the per-field character cap. */
  static final String SYSTEM_TEMPLATE = """
      You review one finished attempt of an agent at a task and distill it into a skill: a short lesson that \
      a teacher model will read before it guides a new attempt at the same task.

      Answer with one JSON object and nothing else: no text before or after it, no code fence. The object \
      has exactly these three string fields:
      - "success_analysis": what strategic intent in this attempt was right and should be reused on future \
      attempts.
      - "mistake_analysis": what failed, why it failed, and which wrong assumptions, illegal moves or API \
      misuse caused it. If nothing failed, say what cost turns or reward.
      - "golden_workflow": a concise ideal process for this task, as numbered steps, that the teacher can \
      follow token by token.

      Be specific to this task: name the actions, objects, APIs and values that mattered. Use only facts the \
      transcript shows. Each field has at most %d characters.""";

  /** Appended to the user prompt when the previous answer was rejected; {@code %s} is the reason. */
  static final String CORRECTION_TEMPLATE = """


      Your previous answer was rejected: %s. Reply with only the JSON object with the fields \
      "success_analysis", "mistake_analysis" and "golden_workflow".""";

  private static final int MAX_INSTRUCTIONS_CHARS = 3_000;
  private static final int MAX_OBSERVATION_CHARS = 1_000;
  private static final int MAX_ACTION_CHARS = 600;

  private final int maxFieldChars;
  private final int maxTranscriptChars;

  /**
   * @param maxFieldChars the per-field cap stated to the model
   * @param maxTranscriptChars the budget for the turns of the transcript
   */
  public SummaryPrompt(int maxFieldChars, int maxTranscriptChars) {
    if (maxFieldChars < 1 || maxTranscriptChars < 1) {
      throw new IllegalArgumentException("caps must be >= 1");
    }
    this.maxFieldChars = maxFieldChars;
    this.maxTranscriptChars = maxTranscriptChars;
  }

  public String system() {
    return String.format(Locale.ROOT, SYSTEM_TEMPLATE, maxFieldChars);
  }

  /** The user prompt: task, outcome, instructions, first observation and the turns. */
  public String user(Trajectory trajectory) {
    StringBuilder text = new StringBuilder();
    text.append("Environment: ").append(trajectory.environment()).append('\n');
    text.append("Task: ").append(trajectory.task().id()).append('\n');
    text.append(String.format(Locale.ROOT, "Outcome: %s; completion %.0f%%; total reward %.2f; %d turns%s.%n",
        trajectory.metrics().success() ? "solved" : "not solved",
        100.0 * trajectory.metrics().completion(), trajectory.totalReward(), trajectory.turns().size(),
        ending(trajectory)));
    text.append("\nInstructions the agent was given:\n")
        .append(clip(trajectory.instructions(), MAX_INSTRUCTIONS_CHARS)).append('\n');
    text.append("\nFirst observation:\n").append(clip(trajectory.firstObservation(), MAX_OBSERVATION_CHARS))
        .append('\n');
    text.append("\nTurns:\n");
    List<String> turns = new ArrayList<>();
    for (int i = 0; i < trajectory.turns().size(); i++) {
      turns.add(turn(i + 1, trajectory.turns().get(i)));
    }
    appendWithinBudget(text, turns);
    return text.toString();
  }

  /** The correction appended after an invalid answer. */
  public static String correction(String reason) {
    return String.format(Locale.ROOT, CORRECTION_TEMPLATE, reason);
  }

  private static String ending(Trajectory trajectory) {
    List<Trajectory.Turn> turns = trajectory.turns();
    if (turns.isEmpty()) {
      return ", no action taken";
    }
    boolean done = turns.get(turns.size() - 1).result().done();
    if (trajectory.metrics().success()) {
      return "";
    }
    return done ? ", the episode ended" : ", stopped at the turn limit";
  }

  private static String turn(int number, Trajectory.Turn turn) {
    StepResult r = turn.result();
    return String.format(Locale.ROOT, "[turn %d] action: %s%nreward %.2f; valid: %s; had an effect: %s%s%n"
            + "observation:%n%s%n",
        number, clip(turn.actionText().strip(), MAX_ACTION_CHARS), r.reward(), yesNo(r.actionValid()),
        yesNo(r.actionEffective()), r.done() ? "; episode over" : "",
        clip(r.observation().strip(), MAX_OBSERVATION_CHARS));
  }

  /** All turns if they fit; else the first turns within a third of the budget and the last within the rest. */
  private void appendWithinBudget(StringBuilder text, List<String> turns) {
    int total = turns.stream().mapToInt(String::length).sum();
    if (total <= maxTranscriptChars) {
      turns.forEach(text::append);
      return;
    }
    int head = 0;
    int used = 0;
    while (head < turns.size() && used + turns.get(head).length() <= maxTranscriptChars / 3) {
      used += turns.get(head++).length();
    }
    int tail = turns.size();
    while (tail > head && used + turns.get(tail - 1).length() <= maxTranscriptChars) {
      used += turns.get(--tail).length();
    }
    for (int i = 0; i < head; i++) {
      text.append(turns.get(i));
    }
    text.append(String.format(Locale.ROOT, "[turns %d to %d left out for length]%n", head + 1, tail));
    for (int i = tail; i < turns.size(); i++) {
      text.append(turns.get(i));
    }
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + " […]";
  }
}
