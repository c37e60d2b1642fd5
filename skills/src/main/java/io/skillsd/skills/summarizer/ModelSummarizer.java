package io.skillsd.skills.summarizer;

import io.skillsd.environments.Trajectory;
import io.skillsd.skills.Skill;
import io.skillsd.skills.SkillFormatException;
import io.skillsd.skills.SkillJson;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A summarizer that asks a language model — any {@link TextGenerator}: an OpenAI-compatible endpoint through
 * {@link io.skillsd.skills.openai.OpenAiChatClient}, or the policy model itself — for the three-field JSON.
 *
 * <p>Each trajectory gets up to {@link ModelSummarizerSettings#maxAttempts()} attempts. Before each, the rate
 * limit reserves a slot. An attempt that times out ({@link ModelSummarizerSettings#attemptTimeout()}) or fails
 * in a retryable way (429, 5xx, unreachable, unreadable response) is retried after an exponential back-off
 * (a 429's {@code Retry-After} is honoured up to the back-off cap). An answer that fails validation
 * ({@link SkillJson#readAnswer}) is retried at once with the rejection reason appended to the prompt. When
 * the attempts run out the trajectory is dropped: the future completes with empty and the drop is counted.
 * An invalid answer is never returned or stored.
 */
public final class ModelSummarizer implements SkillSummarizer {

  private static final Logger LOG = LoggerFactory.getLogger(ModelSummarizer.class);

  private final String name;
  private final TextGenerator generator;
  private final ModelSummarizerSettings settings;
  private final SkillJson json;
  private final SummaryPrompt prompt;
  private final RequestPacer pacer;
  private final SummarizerCounters counters = new SummarizerCounters();

  /**
   * @param name the summarizer's name in provenance, e.g. {@code openai:qwen3-8b}
   * @param generator the model
   * @param settings attempts, timeouts, back-off, rate limit, caps
   */
  public ModelSummarizer(String name, TextGenerator generator, ModelSummarizerSettings settings) {
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("summarizer name must not be blank");
    }
    this.generator = Objects.requireNonNull(generator, "generator");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.json = new SkillJson(settings.maxFieldChars());
    this.prompt = new SummaryPrompt(settings.maxFieldChars(), settings.maxTranscriptChars());
    this.pacer = new RequestPacer(settings.requestsPerSecond());
  }

  /** The policy model as summarizer, named {@code policy} in provenance. */
  public static ModelSummarizer forPolicy(TextGenerator policy, ModelSummarizerSettings settings) {
    return new ModelSummarizer("policy", policy, settings);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SummarizerStats stats() {
    return counters.snapshot();
  }

  /** The prompts this summarizer sends (for logs, docs and tests). */
  public SummaryPrompt prompt() {
    return prompt;
  }

  @Override
  public CompletableFuture<Optional<Skill>> summarize(Trajectory trajectory, SummaryContext context) {
    counters.requested();
    Skill.Provenance provenance = new Skill.Provenance(trajectory.task().id(), context.trajectoryId(),
        context.reward(), context.weightsVersion(), name);
    Attempts attempts = new Attempts(prompt.user(trajectory), provenance);
    attempts.start(1, "");
    return attempts.result;
  }

  /** The attempts for one trajectory. */
  private final class Attempts {
    final CompletableFuture<Optional<Skill>> result = new CompletableFuture<>();
    final String userPrompt;
    final Skill.Provenance provenance;

    Attempts(String userPrompt, Skill.Provenance provenance) {
      this.userPrompt = userPrompt;
      this.provenance = provenance;
    }

    void start(int attempt, String correction) {
      long wait = pacer.reserve();
      if (wait > 0) {
        CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(() -> call(attempt, correction));
      } else {
        call(attempt, correction);
      }
    }

    private void call(int attempt, String correction) {
      counters.attempt();
      CompletableFuture<String> generation;
      try {
        generation = generator.generate(prompt.system(), userPrompt + correction, settings.generation());
      } catch (RuntimeException e) {
        generation = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<String> pending = generation;
      pending.thenApply(text -> text) // a dependent, so that the timeout completes it and not the generator's future
          .orTimeout(settings.attemptTimeout().toNanos(), TimeUnit.NANOSECONDS)
          .whenComplete((text, error) -> {
            if (error != null) {
              GenerationException failure = classify(error);
              if (failure.kind() == GenerationException.Kind.TIMEOUT) {
                pending.cancel(true); // lets the generator abandon the work (the JDK HTTP client aborts the exchange)
              }
              onFailure(attempt, failure);
            } else {
              onAnswer(attempt, text);
            }
          });
    }

    private void onAnswer(int attempt, String text) {
      try {
        Skill skill = json.readAnswer(text, provenance);
        counters.produced();
        result.complete(Optional.of(skill));
      } catch (SkillFormatException e) {
        counters.invalidAnswer();
        if (attempt < settings.maxAttempts()) {
          LOG.debug("summarizer {}: invalid answer for trajectory {} (attempt {}/{}): {}; retrying", name,
              provenance.trajectoryId(), attempt, settings.maxAttempts(), e.getMessage());
          start(attempt + 1, SummaryPrompt.correction(e.getMessage()));
        } else {
          counters.droppedInvalid();
          LOG.warn("summarizer {}: dropped trajectory {} after {} invalid answers; last: {}", name,
              provenance.trajectoryId(), attempt, e.getMessage());
          result.complete(Optional.empty());
        }
      }
    }

    private void onFailure(int attempt, GenerationException failure) {
      counters.failure(failure.kind());
      if (failure.kind().retryable() && attempt < settings.maxAttempts()) {
        Duration wait = settings.backoff(attempt);
        if (failure.retryAfter().isPresent() && failure.retryAfter().get().compareTo(wait) > 0) {
          wait = failure.retryAfter().get().compareTo(settings.maxBackoff()) > 0
              ? settings.maxBackoff() : failure.retryAfter().get();
        }
        LOG.debug("summarizer {}: attempt {}/{} for trajectory {} failed ({}: {}); retrying in {} ms", name,
            attempt, settings.maxAttempts(), provenance.trajectoryId(), failure.kind(), failure.getMessage(),
            wait.toMillis());
        CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS)
            .execute(() -> start(attempt + 1, ""));
      } else {
        counters.droppedFailed();
        LOG.warn("summarizer {}: dropped trajectory {} after {} attempt(s): {}: {}", name,
            provenance.trajectoryId(), attempt, failure.kind(), failure.getMessage());
        result.complete(Optional.empty());
      }
    }
  }

  private GenerationException classify(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof GenerationException g) {
      return g;
    }
    if (cause instanceof TimeoutException) {
      return new GenerationException(GenerationException.Kind.TIMEOUT,
          "no answer within " + settings.attemptTimeout().toMillis() + " ms");
    }
    // A generator that breaks its contract (throws something else) is not retried: it would fail again.
    return new GenerationException(GenerationException.Kind.REJECTED,
        "generator failed: " + cause, null, cause);
  }
}
