package io.skillsd.skills.summarizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.skills.ScriptedTrajectories;
import io.skillsd.skills.Skill;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The model summarizer over an in-process {@link TextGenerator}, the way the policy model plugs in. */
class ModelSummarizerTest {

  private static final String VALID =
      "{\"success_analysis\":\"s\",\"mistake_analysis\":\"m\",\"golden_workflow\":\"1. Right. 2. Down.\"}";
  private static final SummaryContext CONTEXT = new SummaryContext("t1", 7, 1.0);

  private static ModelSummarizerSettings fast() {
    return ModelSummarizerSettings.defaults()
        .withAttemptTimeout(Duration.ofMillis(300))
        .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
        .withRequestsPerSecond(0);
  }

  private static Optional<Skill> run(ModelSummarizer summarizer) throws Exception {
    return summarizer.summarize(ScriptedTrajectories.failed(), CONTEXT).get(10, TimeUnit.SECONDS);
  }

  @Test
  void policyAsSummarizerGetsThePromptsAndIsNamedPolicy() throws Exception {
    List<String> systems = new CopyOnWriteArrayList<>();
    List<GenerationOptions> options = new CopyOnWriteArrayList<>();
    TextGenerator policy = (system, user, opts) -> {
      systems.add(system);
      options.add(opts);
      return CompletableFuture.supplyAsync(() -> "<think>the box went off the target</think>" + VALID);
    };
    ModelSummarizer summarizer = ModelSummarizer.forPolicy(policy, fast());
    Skill skill = run(summarizer).orElseThrow();
    assertEquals("policy", skill.provenance().summarizer());
    assertEquals(7, skill.provenance().weightsVersion());
    assertTrue(systems.get(0).contains("Each field has at most 2000 characters."), systems.get(0));
    assertEquals(GenerationOptions.defaults(), options.get(0));
  }

  @Test
  void generatorThatNeverAnswersTimesOutOnEveryAttempt() throws Exception {
    ModelSummarizer summarizer = new ModelSummarizer("stuck", (s, u, o) -> new CompletableFuture<>(), fast());
    assertEquals(Optional.empty(), run(summarizer));
    assertEquals(new SummarizerStats(1, 0, 0, 1, 3, 0, 3, 0, 0), summarizer.stats());
  }

  @Test
  void generatorBugIsNotRetried() throws Exception {
    ModelSummarizer throwing = new ModelSummarizer("broken", (s, u, o) -> {
      throw new IllegalStateException("model not loaded");
    }, fast());
    assertEquals(Optional.empty(), run(throwing));
    assertEquals(new SummarizerStats(1, 0, 0, 1, 1, 0, 0, 0, 1), throwing.stats());
  }

  @Test
  void oversizedAnswerIsInvalid() throws Exception {
    String big = VALID.replace("\"s\"", "\"" + "x".repeat(50) + "\"");
    ModelSummarizerSettings settings = new ModelSummarizerSettings(2, Duration.ofSeconds(1), Duration.ZERO,
        Duration.ZERO, 0, 40, 10_000, GenerationOptions.defaults());
    ModelSummarizer summarizer = new ModelSummarizer("m", (s, u, o) -> CompletableFuture.completedFuture(big),
        settings);
    assertEquals(Optional.empty(), run(summarizer));
    assertEquals(new SummarizerStats(1, 0, 1, 0, 2, 2, 0, 0, 0), summarizer.stats());
  }

  @Test
  void backoffDoublesUpToTheCap() {
    ModelSummarizerSettings s = ModelSummarizerSettings.defaults()
        .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(3));
    assertEquals(Duration.ofMillis(500), s.backoff(1));
    assertEquals(Duration.ofMillis(1000), s.backoff(2));
    assertEquals(Duration.ofMillis(2000), s.backoff(3));
    assertEquals(Duration.ofSeconds(3), s.backoff(4));
    assertEquals(Duration.ofSeconds(3), s.backoff(60));
  }

  @Test
  void pacerSpacesReservationsByTheInterval() {
    long[] now = {5_000_000_000L};
    RequestPacer pacer = new RequestPacer(4.0, () -> now[0]); // 250 ms apart
    assertEquals(0, pacer.reserve());
    assertEquals(250_000_000L, pacer.reserve());
    now[0] += 100_000_000L; // 100 ms later the third slot is still 500 ms after the first
    assertEquals(400_000_000L, pacer.reserve());
    now[0] += 2_000_000_000L; // idle past every reserved slot: the next request goes at once
    assertEquals(0, pacer.reserve());
    assertEquals(250_000_000L, pacer.reserve());
    RequestPacer unlimited = new RequestPacer(0, () -> now[0]);
    assertEquals(0, unlimited.reserve());
    assertEquals(0, unlimited.reserve()); // rate 0 never reserves ahead
  }
}
