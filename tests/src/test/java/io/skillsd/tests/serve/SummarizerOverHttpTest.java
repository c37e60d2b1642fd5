package io.skillsd.tests.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.skillsd.actors.serve.ChatModel;
import io.skillsd.actors.serve.ChatServer;
import io.skillsd.actors.serve.ServeSettings;
import io.skillsd.environments.Environment;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.Trajectory;
import io.skillsd.skills.Skill;
import io.skillsd.skills.openai.OpenAiChatClient;
import io.skillsd.skills.openai.OpenAiSettings;
import io.skillsd.skills.summarizer.GenerationOptions;
import io.skillsd.skills.summarizer.ModelSummarizer;
import io.skillsd.skills.summarizer.ModelSummarizerSettings;
import io.skillsd.skills.summarizer.SummarizerStats;
import io.skillsd.skills.summarizer.SummaryContext;
import io.skillsd.examples.guessnumber.GuessNumberProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LLM summarizer's failure paths over real HTTP: {@link ModelSummarizer} with {@link OpenAiChatClient}
 * against {@link ChatServer} on 127.0.0.1, serving an untrained checkpoint (the built-in tiny model, saved and
 * loaded back): its answers are not skills (retried, then dropped and counted), a server that delays its
 * answers past the attempt timeout (timeouts, then a counted failure), and a server that is down (connection
 * refused, a counted failure). The valid-skill path, which needs a trained checkpoint, is
 * {@link TrainedSkillWriterTest}.
 */
class SummarizerOverHttpTest {

  @TempDir
  static Path dir;

  static Trajectory trajectory;
  static ChatModel untrained;

  @BeforeAll
  static void loadAnUntrainedCheckpoint() {
    Environment env = new GuessNumberProvider().create(Map.of());
    trajectory = Episodes.play(env, env.tasks().train().get(0), env.referenceAgent().orElseThrow(), 10);
    Path checkpoint = dir.resolve("untrained");
    try (ChatModel fresh = ChatModel.open("builtin:tiny")) {
      fresh.languageModel().save(checkpoint, Map.of());
    }
    untrained = ChatModel.open(checkpoint.toString());
  }

  @AfterAll
  static void close() {
    untrained.close();
  }

  /**
   * Greedy answers of at most 16 tokens — fewer than the skill object's keys alone take in the built-in
   * tokenizer, so no answer can pass validation — no rate limit, quick back-off.
   */
  static ModelSummarizerSettings settings(int attempts, Duration attemptTimeout) {
    return new ModelSummarizerSettings(attempts, attemptTimeout, Duration.ofMillis(10), Duration.ofMillis(50), 0.0,
        2000, 12_000, new GenerationOptions(16, 0.0));
  }

  static ModelSummarizer summarizer(ChatServer server, ModelSummarizerSettings settings) {
    OpenAiChatClient client = new OpenAiChatClient(OpenAiSettings.of(server.baseUrl().toString(),
        server.settings().modelName()));
    return new ModelSummarizer(client.name(), client, settings);
  }

  static Optional<Skill> summarize(ModelSummarizer summarizer) {
    return summarizer.summarize(trajectory, new SummaryContext("it0/guess/g0", 4, 1.0)).join();
  }

  static ServeSettings serve(String name) {
    return ServeSettings.defaults(name).withAddress("127.0.0.1", 0);
  }

  @Test
  void malformedAnswersAreRetriedThenDroppedAndCounted() throws Exception {
    try (ChatServer server = ChatServer.start(untrained, serve("untrained"))) {
      ModelSummarizer summarizer = summarizer(server, settings(3, Duration.ofSeconds(60)));
      assertEquals(Optional.empty(), summarize(summarizer));
      // requested, produced, droppedInvalid, droppedFailed, attempts, invalidAnswers, timeouts, 429s, other
      assertEquals(new SummarizerStats(1, 0, 1, 0, 3, 3, 0, 0, 0), summarizer.stats());
      assertEquals(3, server.served(), "every attempt reached the model and was answered");
    }
  }

  @Test
  void slowAnswersTimeOutAndAreDroppedAsFailures() throws Exception {
    try (ChatServer server = ChatServer.start(untrained, serve("untrained")
        .withResponseDelay(Duration.ofMillis(1500)))) {
      ModelSummarizer summarizer = summarizer(server, settings(2, Duration.ofMillis(300)));
      assertEquals(Optional.empty(), summarize(summarizer));
      assertEquals(new SummarizerStats(1, 0, 0, 1, 2, 0, 2, 0, 0), summarizer.stats());
    }
  }

  @Test
  void aServerThatIsDownIsACountedFailure() throws Exception {
    ChatServer server = ChatServer.start(untrained, serve("untrained"));
    server.close(); // its port now refuses connections
    ModelSummarizer summarizer = summarizer(server, settings(2, Duration.ofSeconds(10)));
    assertEquals(Optional.empty(), summarize(summarizer));
    assertEquals(new SummarizerStats(1, 0, 0, 1, 2, 0, 0, 0, 2), summarizer.stats());
  }
}
