package io.skillsd.actors.skills;

import io.skillsd.actors.settings.SettingsException;
import io.skillsd.actors.settings.SettingsReader;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.skills.analyst.AnalystSummarizer;
import io.skillsd.skills.analyst.AppWorldFactExtractor;
import io.skillsd.skills.analyst.SokobanFactExtractor;
import io.skillsd.skills.bank.SkillBankSettings;
import io.skillsd.skills.openai.OpenAiChatClient;
import io.skillsd.skills.openai.OpenAiSettings;
import io.skillsd.skills.summarizer.GenerationOptions;
import io.skillsd.skills.summarizer.ModelSummarizer;
import io.skillsd.skills.summarizer.ModelSummarizerSettings;
import io.skillsd.skills.summarizer.SkillSummarizer;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code skillsd.skills} section (documented in the skills module's {@code reference.conf}) turned into
 * the bank's settings and the run's summarizer.
 */
public record SkillsSettings(Summarizer summarizer, SkillBankSettings bank, ModelSummarizerSettings model,
    Optional<OpenAiSettings> openai, boolean solveFailures) {

  /** Which summarizer writes skills. */
  public enum Summarizer {
    ANALYST,
    OPENAI,
    POLICY
  }

  public static SkillsSettings from(SkillsdSettings settings) {
    SettingsReader r = new SettingsReader(settings.config(), "skillsd.skills");
    SettingsReader b = r.section("bank");
    SettingsReader m = r.section("model");
    int maxFieldChars = r.intIn("max-field-chars", 64, 100_000);
    SkillBankSettings bank = new SkillBankSettings(b.intIn("capacity", 1, 10_000),
        b.doubleIn("exploration", 0.0, 1000.0), maxFieldChars);
    ModelSummarizerSettings model = new ModelSummarizerSettings(m.intIn("max-attempts", 1, 100),
        m.duration("attempt-timeout"), m.duration("initial-backoff"), m.duration("max-backoff"),
        m.doubleIn("requests-per-second", 0.0, 1e6), maxFieldChars, m.intIn("max-transcript-chars", 100, 10_000_000),
        new GenerationOptions(m.intIn("max-tokens", 1, 1_000_000), m.doubleIn("temperature", 0.0, 10.0)));
    Summarizer which = r.enumValue("summarizer", Summarizer.class);
    Optional<OpenAiSettings> openai = Optional.empty();
    if (which == Summarizer.OPENAI) {
      SettingsReader o = r.section("openai");
      String modelName = o.nonBlank("model");
      String baseUrl = o.nonBlank("base-url");
      try {
        URI.create(baseUrl);
      } catch (IllegalArgumentException e) {
        throw new SettingsException(o.key("base-url"), "\"" + baseUrl + "\"", "must be a URL such as http://127.0.0.1:8000");
      }
      String keyEnv = o.string("api-key-env");
      Optional<String> key = keyEnv.isBlank() ? Optional.empty() : Optional.ofNullable(System.getenv(keyEnv));
      openai = Optional.of(new OpenAiSettings(URI.create(baseUrl), modelName, key, o.duration("connect-timeout"),
          o.duration("request-timeout"), o.bool("json-mode")));
    }
    if (which == Summarizer.POLICY) {
      throw new SettingsException(r.key("summarizer"), "\"policy\"",
          "the policy-as-summarizer is not wired into training runs yet; use analyst or openai");
    }
    boolean solveFailures = r.section("analyst").bool("solve-failures");
    return new SkillsSettings(which, bank, model, openai, solveFailures);
  }

  /** The summarizer this run uses. */
  public SkillSummarizer newSummarizer() {
    return switch (summarizer) {
      case ANALYST -> new AnalystSummarizer(Map.of("sokoban", new SokobanFactExtractor(solveFailures),
          AppWorldFactExtractor.ENVIRONMENT, new AppWorldFactExtractor()), bank.maxFieldChars());
      case OPENAI -> {
        OpenAiChatClient client = new OpenAiChatClient(openai.orElseThrow());
        yield new ModelSummarizer(client.name(), client, model);
      }
      case POLICY -> throw new IllegalStateException("unreachable: rejected in from()");
    };
  }
}
