package io.skillsd.skills.analyst;

import io.skillsd.skills.Skill;
import io.skillsd.skills.analyst.TrajectoryFacts.Event;
import io.skillsd.skills.analyst.TrajectoryFacts.Kind;
import io.skillsd.skills.analyst.TrajectoryFacts.Outcome;
import io.skillsd.skills.analyst.TrajectoryFacts.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes the three fields of a skill from a trajectory's {@link TrajectoryFacts}: what made progress, what
 * went wrong and how the episode ended, and the workflow to follow. Every sentence states a fact of the
 * trajectory or a rule drawn directly from one; the same facts give the same text. Each field is fitted to
 * the size cap by cutting lists short ("and 4 more") and, as a last resort, the text at a word boundary.
 */
public final class SkillWriter {

  /** The most events one list in a field names before summarizing the rest as a count. */
  private static final int MAX_LISTED = 4;
  /** The most workflow steps named before summarizing the rest as a count. */
  private static final int MAX_STEPS = 24;

  private final int maxFieldChars;

  public SkillWriter(int maxFieldChars) {
    if (maxFieldChars < 40) {
      throw new IllegalArgumentException("maxFieldChars must be >= 40 for a readable skill, was " + maxFieldChars);
    }
    this.maxFieldChars = maxFieldChars;
  }

  /** The skill these facts make, with {@code provenance}. */
  public Skill write(TrajectoryFacts facts, Skill.Provenance provenance) {
    return new Skill(fit(success(facts)), fit(mistakes(facts)), fit(workflow(facts)), provenance);
  }

  String success(TrajectoryFacts f) {
    List<Event> progress = f.events(Kind.PROGRESS);
    String score = String.format(Locale.ROOT, "completion %s, return %.2f", percent(f.completion()), f.totalReward());
    StringBuilder s = new StringBuilder();
    switch (f.outcome()) {
      case SOLVED -> {
        s.append("Solved the task in ").append(turns(f.turns())).append(" (").append(score).append(").");
        if (!progress.isEmpty()) {
          s.append(" Progress came from ").append(list(progress, SkillWriter::withDetail)).append('.');
        }
        if (!f.workflow().isEmpty()) {
          s.append(" The steps that had an effect, in order: ").append(steps(f.workflow())).append('.');
        }
      }
      case NO_ACTION -> s.append("The attempt ended before any action was taken; nothing in it can be reused.");
      default -> {
        if (progress.isEmpty()) {
          s.append("Nothing in this attempt made progress (").append(score)
              .append("): no turn earned more than the ordinary step. What it teaches is what to avoid.");
        } else {
          s.append("The task was not solved (").append(score).append("), but ")
              .append(progress.size() == 1 ? "this step made" : "these steps made")
              .append(" progress and ").append(progress.size() == 1 ? "is" : "are").append(" worth repeating: ")
              .append(list(progress, SkillWriter::withDetail)).append('.');
          if (!f.workflow().isEmpty()) {
            s.append(" The effective steps up to the last progress: ").append(steps(f.workflow())).append('.');
          }
        }
      }
    }
    return s.toString();
  }

  String mistakes(TrajectoryFacts f) {
    List<String> sentences = new ArrayList<>();
    for (Event e : f.events(Kind.ERROR)) {
      sentences.add("Turn " + e.turn() + " " + e.action() + ": " + (e.detail().isEmpty() ? "an error" : e.detail()) + ".");
    }
    List<Event> setbacks = f.events(Kind.SETBACK);
    if (!setbacks.isEmpty()) {
      sentences.add(capital(list(setbacks, SkillWriter::withDetail)) + (setbacks.size() == 1 ? " lost" : " each lost")
          + " ground.");
    }
    List<Event> invalid = f.events(Kind.INVALID_ACTION);
    if (!invalid.isEmpty()) {
      sentences.add((invalid.size() == 1 ? "One turn was" : invalid.size() + " turns were")
          + " not a valid action: " + list(invalid, e -> "turn " + e.turn() + " \"" + e.action() + "\""
              + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")")) + ".");
    }
    List<Event> noEffect = f.events(Kind.NO_EFFECT);
    if (!noEffect.isEmpty()) {
      sentences.add((noEffect.size() == 1 ? "One action" : noEffect.size() + " actions") + " had no effect: "
          + list(noEffect, SkillWriter::withDetail) + ".");
    }
    int wasted = invalid.size() + noEffect.size();
    switch (f.outcome()) {
      case SOLVED -> {
        if (wasted > 0) {
          sentences.add(wasted + " of the " + turns(f.turns()) + " were wasted.");
        }
      }
      case FAILED -> sentences.add("The episode ended at turn " + f.turns() + " without solving the task (completion "
          + percent(f.completion()) + ").");
      case TURN_LIMIT -> sentences.add("The attempt used all " + turns(f.turns())
          + " allowed without solving the task (completion " + percent(f.completion()) + ").");
      case NO_ACTION -> sentences.add("No action was taken.");
    }
    if (sentences.isEmpty()) {
      return "No mistakes: every turn was a valid action that had an effect, and none lost ground.";
    }
    return String.join(" ", sentences);
  }

  String workflow(TrajectoryFacts f) {
    List<String> items = new ArrayList<>();
    if (f.outcome() == Outcome.SOLVED && !f.workflow().isEmpty()) {
      List<Step> steps = f.workflow();
      int shown = Math.min(steps.size(), MAX_STEPS);
      for (int i = 0; i < shown; i++) {
        items.add(steps.get(i).text() + (i == steps.size() - 1 ? ", which solves the task" : ""));
      }
      if (shown < steps.size()) {
        items.add("then " + (steps.size() - shown) + " more steps as above until the task is solved");
      }
    } else {
      if (!f.workflow().isEmpty()) {
        items.add("Start with the steps that made progress: " + steps(f.workflow()));
      } else {
        items.add("Read the first observation and plan the whole solution before acting");
      }
      List<Event> avoid = new ArrayList<>(f.events(Kind.ERROR));
      avoid.addAll(f.events(Kind.SETBACK));
      if (!avoid.isEmpty()) {
        avoid.sort(java.util.Comparator.comparingInt(Event::turn));
        items.add("Avoid what went wrong: " + list(avoid, SkillWriter::withDetail));
      }
      items.add("Continue until the task is solved; this attempt reached completion " + percent(f.completion()));
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      s.append(i == 0 ? "" : " ").append(i + 1).append(". ").append(items.get(i)).append('.');
    }
    List<String> rules = new ArrayList<>();
    if (!f.events(Kind.INVALID_ACTION).isEmpty()) {
      rules.add("write every action in the required format");
    }
    if (!f.events(Kind.NO_EFFECT).isEmpty()) {
      rules.add("do not spend turns on actions that change nothing (" + distinctActions(f.events(Kind.NO_EFFECT)) + ")");
    }
    if (!rules.isEmpty()) {
      s.append(" Throughout: ").append(String.join("; ", rules)).append('.');
    }
    for (String lesson : f.lessons()) {
      s.append(' ').append(lesson.strip());
    }
    return s.toString();
  }

  private static String withDetail(Event e) {
    return "turn " + e.turn() + " " + e.action() + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
  }

  private static String list(List<Event> events, java.util.function.Function<Event, String> format) {
    List<String> names = events.stream().limit(MAX_LISTED).map(format).collect(Collectors.toList());
    String text = String.join(", ", names);
    return events.size() > MAX_LISTED ? text + " and " + (events.size() - MAX_LISTED) + " more" : text;
  }

  private static String steps(List<Step> steps) {
    String text = steps.stream().limit(MAX_STEPS).map(Step::text).collect(Collectors.joining(", "));
    return steps.size() > MAX_STEPS ? text + " and " + (steps.size() - MAX_STEPS) + " more" : text;
  }

  private static String distinctActions(List<Event> events) {
    List<String> names = events.stream().map(e -> e.action() + " at turn " + e.turn()).limit(MAX_LISTED).toList();
    return String.join(", ", names) + (events.size() > MAX_LISTED ? " and " + (events.size() - MAX_LISTED) + " more" : "");
  }

  private static String turns(int n) {
    return n == 1 ? "1 turn" : n + " turns";
  }

  private static String percent(double completion) {
    return String.format(Locale.ROOT, "%.0f%%", 100.0 * completion);
  }

  private static String capital(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Cuts {@code text} to the cap at a word boundary, marking the cut. */
  String fit(String text) {
    if (text.length() <= maxFieldChars) {
      return text;
    }
    int cut = text.lastIndexOf(' ', maxFieldChars - 1);
    if (cut < maxFieldChars / 2) {
      cut = maxFieldChars - 1;
    }
    return text.substring(0, cut) + "…";
  }
}
