package io.skillsd.skills.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillsd.skills.ScriptedTrajectories;
import io.skillsd.skills.Skill;
import io.skillsd.skills.openai.ChatEndpoint.Received;
import io.skillsd.skills.openai.ChatEndpoint.Reply;
import io.skillsd.skills.summarizer.ModelSummarizer;
import io.skillsd.skills.summarizer.ModelSummarizerSettings;
import io.skillsd.skills.summarizer.SummarizerStats;
import io.skillsd.skills.summarizer.SummaryContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The model summarizer over {@link OpenAiChatClient} against a real HTTP server on 127.0.0.1. */
class ModelSummarizerHttpTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String VALID = """
      {"success_analysis": "Walking right twice lined the player up behind the box.",
       "mistake_analysis": "Turn 2 had no <answer> tag and turn 3 walked into a wall.",
       "golden_workflow": "1. Right. 2. Right. 3. Down pushes the box onto the target."}""";
  private static final SummaryContext CONTEXT = new SummaryContext("it4/017/g2", 4, 10.5);

  private static ModelSummarizerSettings fast() {
    return ModelSummarizerSettings.defaults()
        .withAttemptTimeout(Duration.ofSeconds(5))
        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
        .withRequestsPerSecond(0);
  }

  private static ModelSummarizer summarizer(ChatEndpoint endpoint, ModelSummarizerSettings settings) {
    OpenAiChatClient client = new OpenAiChatClient(OpenAiSettings.of(endpoint.baseUrl(), "tiny-policy")
        .withApiKey("sk-test"));
    return new ModelSummarizer(client.name(), client, settings);
  }

  private static Optional<Skill> run(ModelSummarizer summarizer) throws Exception {
    return summarizer.summarize(ScriptedTrajectories.solved(), CONTEXT).get(20, TimeUnit.SECONDS);
  }

  private static String userPrompt(Received request) throws Exception {
    JsonNode messages = MAPPER.readTree(request.body()).get("messages");
    return messages.get(1).get("content").textValue();
  }

  @Test
  void validAnswerBecomesASkillWithProvenance() throws Exception {
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(Reply.completion(VALID)))) {
      ModelSummarizer summarizer = summarizer(endpoint, fast());
      Skill skill = run(summarizer).orElseThrow();
      assertEquals("1. Right. 2. Right. 3. Down pushes the box onto the target.", skill.goldenWorkflow());
      assertEquals(new Skill.Provenance("sokoban/skill-sd/train/017", "it4/017/g2", 10.5, 4, "openai:tiny-policy"),
          skill.provenance());
      assertEquals(new SummarizerStats(1, 1, 0, 0, 1, 0, 0, 0, 0), summarizer.stats());

      Received request = endpoint.received().get(0);
      assertEquals("POST", request.method());
      assertEquals("/v1/chat/completions", request.path());
      assertEquals("Bearer sk-test", request.authorization());
      JsonNode body = MAPPER.readTree(request.body());
      assertEquals("tiny-policy", body.get("model").textValue());
      assertEquals("system", body.get("messages").get(0).get("role").textValue());
      assertTrue(body.get("messages").get(0).get("content").textValue().contains("\"golden_workflow\""));
      String user = userPrompt(request);
      assertTrue(user.contains("Task: sokoban/skill-sd/train/017"), user);
      assertTrue(user.contains("Outcome: solved"), user);
      assertTrue(user.contains("[turn 2] action: I think I should move the box"), user);
      assertTrue(user.contains("Invalid action: no <answer> found."), user);
      assertEquals(768, body.get("max_tokens").intValue());
      assertTrue(!body.has("response_format"));
    }
  }

  @Test
  void invalidAnswerIsRetriedWithTheReasonThenAccepted() throws Exception {
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(
        Reply.completion("Here is the skill you asked for: " + VALID), Reply.completion(VALID)))) {
      ModelSummarizer summarizer = summarizer(endpoint, fast());
      assertTrue(run(summarizer).isPresent());
      assertEquals(new SummarizerStats(1, 1, 0, 0, 2, 1, 0, 0, 0), summarizer.stats());
      String retry = userPrompt(endpoint.received().get(1));
      assertTrue(retry.contains("Your previous answer was rejected: not valid JSON"), retry);
    }
  }

  @Test
  void alwaysInvalidAnswerIsDroppedAndCounted() throws Exception {
    String missingField = "{\"success_analysis\": \"a\", \"mistake_analysis\": \"b\"}";
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(Reply.completion(missingField)))) {
      ModelSummarizer summarizer = summarizer(endpoint, fast());
      assertEquals(Optional.empty(), run(summarizer));
      assertEquals(new SummarizerStats(1, 0, 1, 0, 3, 3, 0, 0, 0), summarizer.stats());
      assertEquals(3, endpoint.received().size());
      assertTrue(userPrompt(endpoint.received().get(2)).contains("missing [golden_workflow]"));
    }
  }

  @Test
  void slowEndpointTimesOutAndIsDropped() throws Exception {
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(Reply.completion(VALID).delayed(3_000)))) {
      ModelSummarizer summarizer = summarizer(endpoint,
          fast().withAttemptTimeout(Duration.ofMillis(250)).withMaxAttempts(2));
      long start = System.nanoTime();
      assertEquals(Optional.empty(), run(summarizer));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 500 && millis < 2_500, "two 250 ms attempts took " + millis + " ms");
      assertEquals(new SummarizerStats(1, 0, 0, 1, 2, 0, 2, 0, 0), summarizer.stats());
    }
  }

  @Test
  void rateLimitedRequestsBackOffExponentially() throws Exception {
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(
        Reply.status(429, "{\"error\":\"slow down\"}"), Reply.status(429, "{\"error\":\"slow down\"}"),
        Reply.completion(VALID)))) {
      ModelSummarizer summarizer = summarizer(endpoint,
          fast().withBackoff(Duration.ofMillis(150), Duration.ofSeconds(2)));
      assertTrue(run(summarizer).isPresent());
      assertEquals(new SummarizerStats(1, 1, 0, 0, 3, 0, 0, 2, 0), summarizer.stats());
      List<Received> r = endpoint.received();
      long gap1 = (r.get(1).nanoTime() - r.get(0).nanoTime()) / 1_000_000;
      long gap2 = (r.get(2).nanoTime() - r.get(1).nanoTime()) / 1_000_000;
      assertTrue(gap1 >= 150, "first back-off " + gap1 + " ms");
      assertTrue(gap2 >= 300, "second back-off doubles: " + gap2 + " ms");
    }
  }

  @Test
  void retryAfterHeaderIsHonouredUpToTheCap() throws Exception {
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(
        Reply.status(429, "busy").withHeader("Retry-After", "30"), Reply.completion(VALID)))) {
      ModelSummarizer summarizer = summarizer(endpoint,
          fast().withBackoff(Duration.ofMillis(10), Duration.ofMillis(400)));
      assertTrue(run(summarizer).isPresent());
      List<Received> r = endpoint.received();
      long gap = (r.get(1).nanoTime() - r.get(0).nanoTime()) / 1_000_000;
      assertTrue(gap >= 400 && gap < 5_000, "Retry-After 30 s capped at 400 ms, waited " + gap + " ms");
    }
  }

  @Test
  void serverErrorIsRetriedButABadRequestIsNot() throws Exception {
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(Reply.status(503, "loading"), Reply.completion(VALID)))) {
      ModelSummarizer summarizer = summarizer(endpoint, fast());
      assertTrue(run(summarizer).isPresent());
      assertEquals(1, summarizer.stats().otherFailures());
    }
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(Reply.status(400, "{\"error\":\"unknown model\"}")))) {
      ModelSummarizer summarizer = summarizer(endpoint, fast());
      assertEquals(Optional.empty(), run(summarizer));
      assertEquals(new SummarizerStats(1, 0, 0, 1, 1, 0, 0, 0, 1), summarizer.stats());
      assertEquals(1, endpoint.received().size());
    }
  }

  @Test
  void unreachableServerIsRetriedThenDropped() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    OpenAiChatClient client = new OpenAiChatClient(OpenAiSettings.of("http://127.0.0.1:" + port, "m"));
    ModelSummarizer summarizer = new ModelSummarizer(client.name(), client, fast());
    assertEquals(Optional.empty(), run(summarizer));
    assertEquals(new SummarizerStats(1, 0, 0, 1, 3, 0, 0, 0, 3), summarizer.stats());
  }

  @Test
  void requestRateIsLimitedAcrossConcurrentTrajectories() throws Exception {
    try (ChatEndpoint endpoint = new ChatEndpoint(List.of(Reply.completion(VALID)))) {
      OpenAiChatClient client = new OpenAiChatClient(OpenAiSettings.of(endpoint.baseUrl(), "m"));
      List<Long> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
      ModelSummarizer summarizer = new ModelSummarizer(client.name(), (system, user, options) -> {
        calls.add(System.nanoTime()); // when the summarizer lets a request go, before any HTTP latency
        return client.generate(system, user, options);
      }, fast().withRequestsPerSecond(5));
      List<CompletableFuture<Optional<Skill>>> all = List.of(
          summarizer.summarize(ScriptedTrajectories.solved(), new SummaryContext("a", 1, 1)),
          summarizer.summarize(ScriptedTrajectories.solved(), new SummaryContext("b", 1, 1)),
          summarizer.summarize(ScriptedTrajectories.failed(), new SummaryContext("c", 1, 0)));
      for (CompletableFuture<Optional<Skill>> f : all) {
        assertTrue(f.get(10, TimeUnit.SECONDS).isPresent());
      }
      assertEquals(3, endpoint.received().size());
      List<Long> times = calls.stream().sorted().toList();
      long span = (times.get(2) - times.get(0)) / 1_000_000;
      // The third request's slot is 400 ms after the first's; the times are taken a little after each grant,
      // and a busy machine can hold the first (cold code) longer than the last, so up to 100 ms is allowed.
      // Without the limit the three go within a few milliseconds (the slot arithmetic: ModelSummarizerTest).
      assertTrue(span >= 300, "3 requests at 5/s need 400 ms between the first and the last, took " + span + " ms");
    }
  }

  @Test
  void baseUrlMayBeTheServerRootOrTheV1Root() {
    assertEquals("http://127.0.0.1:8000/v1/chat/completions",
        OpenAiSettings.of("http://127.0.0.1:8000", "m").chatCompletionsUrl().toString());
    assertEquals("https://api.example.com/v1/chat/completions",
        OpenAiSettings.of("https://api.example.com/v1/", "m").chatCompletionsUrl().toString());
    assertEquals("http://host:11434/proxy/v1/chat/completions",
        OpenAiSettings.of("http://host:11434/proxy", "m").chatCompletionsUrl().toString());
    assertNull(OpenAiSettings.of("http://h", "m").chatCompletionsUrl().getQuery());
  }
}
