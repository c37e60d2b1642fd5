package io.skillsd.actors.experiment;

import io.skillsd.actors.settings.SettingsReader;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.policies.objectives.Algorithm;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One row of the paper's comparison: a name and the settings it puts over the experiment's base config.
 * Keys a variant does not set (λ, clipping, the teacher-sync interval, …) come from the base config, so a
 * preset given with {@code --config} applies to every variant alike. Two of a preset's Skill-SD settings are
 * switched off where they do not belong: the variants without a teacher (GRPO, Skill-augmented GRPO) score
 * no skill and have no teacher to keep, and vanilla OPD trains without the reward, while the
 * skill-conditioned maintenance term replays the episodes the reward marks as solved.
 */
public enum Variant {
  /** No training: the held-out evaluation of the starting model only (a run of zero iterations). */
  BASE("base", Map.of()),
  /** Vanilla GRPO (λ = 0). */
  GRPO("grpo", settingsOf(Algorithm.GRPO)),
  /**
   * Vanilla on-policy distillation from the skill-conditioned teacher, no reward term: nor the maintenance
   * term, whose replays are the episodes the reward calls solved.
   */
  OPD("opd", settingsOf(Algorithm.OPD)),
  /** GRPO with the retrieved skill in the student's own prompt during training (none at evaluation). */
  SKILL_AUGMENTED_GRPO("skill-augmented-grpo", settingsOf(Algorithm.SKILL_AUGMENTED_GRPO)),
  /** Skill-SD with the base config's teacher sync (dynamic unless the config says otherwise). */
  SKILL_SD("skill-sd", settingsOf(Algorithm.SKILL_SD)),
  /** The ablation: Skill-SD with the teacher frozen at the starting weights. */
  SKILL_SD_FROZEN("skill-sd-frozen", Map.of("skillsd.train.algorithm", "skill-sd", "skillsd.train.teacher-sync", "frozen"));

  private final String label;
  private final Map<String, String> overrides;

  Variant(String label, Map<String, String> overrides) {
    this.label = label;
    this.overrides = overrides;
  }

  /** The name on the command line, in run directory names and in the results table. */
  public String label() {
    return label;
  }

  /**
   * The settings that make a run train with {@code algorithm}: the algorithm, and off what it cannot use —
   * the teacher's skill choice without a teacher, the maintenance term without a teacher or without the
   * reward that picks its replays.
   */
  private static Map<String, String> settingsOf(Algorithm algorithm) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("skillsd.train.algorithm", SettingsReader.label(algorithm));
    if (!algorithm.usesDistillation()) {
      settings.put("skillsd.train.teacher-skill", "bank");
    }
    if (!SkillsdSettings.maintenanceBelongsTo(algorithm)) {
      settings.put("skillsd.train.maintenance-weight", "0");
    }
    return Map.copyOf(settings);
  }

  /** The settings this variant puts over the base config. */
  public Map<String, String> overrides() {
    return overrides;
  }

  /** Whether runs of this variant train at all. */
  public boolean trains() {
    return this != BASE;
  }

  /** The iterations a run of this variant gets in an experiment of {@code iterations}. */
  public int iterations(int iterations) {
    return trains() ? iterations : 0;
  }

  /**
   * What the results take from a finished run of this variant: the whole record, or for {@link #BASE} the
   * starting model's evaluation only.
   */
  public RunRecord view(RunRecord record) {
    return trains() ? record : record.untrained();
  }

  /** The variant named {@code label}; an unknown name fails with the allowed names. */
  public static Variant parse(String label) {
    String wanted = label.trim().toLowerCase(Locale.ROOT);
    for (Variant v : values()) {
      if (v.label.equals(wanted)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown variant '" + label + "' (allowed: " + allLabels() + ")");
  }

  /** Every variant's name, comma-separated, in the table's order. */
  public static String allLabels() {
    return Arrays.stream(values()).map(Variant::label).collect(Collectors.joining(","));
  }
}
