package io.skillsd.actors.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP contract of {@link ChatServer} over the built-in tiny model (untrained: its text is noise). */
class ChatServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static ChatModel model;
  private static ChatServer server;

  @BeforeAll
  static void start() throws IOException {
    model = ChatModel.open("builtin:tiny");
    server = ChatServer.start(model, ServeSettings.defaults("tiny-test").withAddress("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  private record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  private static Reply send(ChatServer s, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.baseUrl().resolve(path)).timeout(Duration.ofSeconds(60));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
  }

  private static Reply post(ChatServer s, ObjectNode body) throws IOException, InterruptedException {
    return send(s, "POST", "/v1/chat/completions", body.toString());
  }

  private static ObjectNode chat(String system, String user, int maxTokens) {
    ObjectNode body = JSON.createObjectNode().put("model", "tiny-test").put("max_tokens", maxTokens)
        .put("temperature", 0);
    if (system != null) {
      body.withArray("messages").addObject().put("role", "system").put("content", system);
    }
    body.withArray("messages").addObject().put("role", "user").put("content", user);
    return body;
  }

  private static void assertError(Reply r, int status, String type) {
    assertEquals(status, r.status(), r.body().toString());
    JsonNode e = r.body().path("error");
    assertEquals(type, e.path("type").asText(), r.body().toString());
    assertFalse(e.path("message").asText().isBlank(), r.body().toString());
    assertTrue(e.has("param") && e.has("code"), r.body().toString());
  }

  @Test
  void aCompletionHasTheOpenAiShapeAndCountsTokens() throws Exception {
    Reply r = post(server, chat("You move boxes.", "Push the box to the goal.", 8));
    assertEquals(200, r.status(), r.body().toString());
    JsonNode b = r.body();
    assertEquals("chat.completion", b.path("object").asText());
    assertTrue(b.path("id").asText().startsWith("chatcmpl-"));
    assertEquals("tiny-test", b.path("model").asText());
    JsonNode choice = b.path("choices").get(0);
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertTrue(choice.path("message").path("content").isTextual());
    String finish = choice.path("finish_reason").asText();
    assertTrue(finish.equals("stop") || finish.equals("length"), finish);
    int expectedPrompt = model.render(List.of(new ChatMessage(ChatMessage.Role.SYSTEM, "You move boxes."),
        new ChatMessage(ChatMessage.Role.USER, "Push the box to the goal."))).length;
    JsonNode usage = b.path("usage");
    assertEquals(expectedPrompt, usage.path("prompt_tokens").asInt());
    int completion = usage.path("completion_tokens").asInt();
    assertTrue(completion >= 1 && completion <= 8, "completion tokens " + completion);
    assertEquals(expectedPrompt + completion, usage.path("total_tokens").asInt());
    if (finish.equals("length")) {
      assertEquals(8, completion);
    }
  }

  @Test
  void messagesAreRenderedInTheModelsChatTemplate() {
    int[] tokens = model.render(List.of(
        new ChatMessage(ChatMessage.Role.SYSTEM, "Rules."),
        new ChatMessage(ChatMessage.Role.USER, "first"),
        new ChatMessage(ChatMessage.Role.ASSISTANT, "Up"),
        new ChatMessage(ChatMessage.Role.USER, "second"),
        new ChatMessage(ChatMessage.Role.USER, "more")));
    assertEquals("system: Rules.\nuser: first\nassistant: Up<|im_end|>\nuser: second\n\nmore\nassistant: ",
        model.languageModel().tokenizer().decode(tokens));
  }

  @Test
  void theSameSeedGivesTheSameAnswerAndStopStringsCutIt() throws Exception {
    ObjectNode body = chat(null, "Where is the box?", 24).put("temperature", 1.0).put("seed", 11);
    Reply a = post(server, body);
    Reply b = post(server, body);
    String text = a.body().path("choices").get(0).path("message").path("content").asText();
    assertEquals(text, b.body().path("choices").get(0).path("message").path("content").asText());
    assertTrue(text.length() >= 6, "need some text to cut: '" + text + "'");
    String stop = text.substring(3, 5);
    Reply cut = post(server, body.deepCopy().put("stop", stop));
    JsonNode choice = cut.body().path("choices").get(0);
    assertEquals(text.substring(0, text.indexOf(stop)), choice.path("message").path("content").asText());
    assertEquals("stop", choice.path("finish_reason").asText());
    assertTrue(cut.body().path("usage").path("completion_tokens").asInt()
        <= a.body().path("usage").path("completion_tokens").asInt());
  }

  @Test
  void modelsAndHealthDescribeTheServer() throws Exception {
    Reply models = send(server, "GET", "/v1/models", null);
    assertEquals(200, models.status());
    assertEquals("list", models.body().path("object").asText());
    assertEquals("tiny-test", models.body().path("data").get(0).path("id").asText());
    assertEquals(200, send(server, "GET", "/v1/models/tiny-test", null).status());
    assertError(send(server, "GET", "/v1/models/other", null), 404, "invalid_request_error");
    Reply health = send(server, "GET", "/health", null);
    assertEquals(200, health.status());
    assertEquals("ok", health.body().path("status").asText());
    assertEquals("builtin:tiny", health.body().path("source").asText());
  }

  @Test
  void routingErrorsAre404And405() throws Exception {
    Reply unknown = send(server, "GET", "/v1/completions", null);
    assertError(unknown, 404, "invalid_request_error");
    assertEquals("unknown_url", unknown.body().path("error").path("code").asText());
    Reply wrongMethod = send(server, "GET", "/v1/chat/completions", null);
    assertError(wrongMethod, 405, "invalid_request_error");
    assertEquals("POST", wrongMethod.raw().headers().firstValue("Allow").orElse(""));
    assertError(send(server, "DELETE", "/health", null), 405, "invalid_request_error");
  }

  @Test
  void badRequestsAre400AndNameTheField() throws Exception {
    assertError(send(server, "POST", "/v1/chat/completions", "{not json"), 400, "invalid_request_error");
    Reply noMessages = send(server, "POST", "/v1/chat/completions", "{\"max_tokens\": 4}");
    assertError(noMessages, 400, "invalid_request_error");
    assertEquals("messages", noMessages.body().path("error").path("param").asText());
    Reply hot = post(server, chat(null, "hi", 4).put("temperature", 3));
    assertError(hot, 400, "invalid_request_error");
    assertEquals("temperature", hot.body().path("error").path("param").asText());
    assertError(post(server, chat(null, "hi", 4).put("stream", true)), 400, "invalid_request_error");
    assertError(post(server, chat(null, "hi", 0)), 400, "invalid_request_error");
    assertError(post(server, chat(null, "hi", 4).put("n", 2)), 400, "invalid_request_error");
    ObjectNode endsWithAssistant = chat(null, "hi", 4);
    endsWithAssistant.withArray("messages").addObject().put("role", "assistant").put("content", "Up");
    assertError(post(server, endsWithAssistant), 400, "invalid_request_error");
    ObjectNode tool = chat(null, "hi", 4);
    tool.withArray("messages").addObject().put("role", "tool").put("content", "{}");
    assertError(post(server, tool), 400, "invalid_request_error");
    Reply otherModel = post(server, chat(null, "hi", 4).put("model", "gpt-4o"));
    assertError(otherModel, 404, "invalid_request_error");
    assertEquals("model_not_found", otherModel.body().path("error").path("code").asText());
    ObjectNode tooLong = chat(null, "Up ".repeat(model.contextLength()), 4);
    Reply overflow = post(server, tooLong);
    assertError(overflow, 400, "invalid_request_error");
    assertEquals("context_length_exceeded", overflow.body().path("error").path("code").asText());
  }

  @Test
  void aFullQueueAnswers503() throws Exception {
    try (ChatServer small = ChatServer.start(model,
        ServeSettings.defaults("tiny-test").withAddress("127.0.0.1", 0).withQueueCapacity(1))) {
      String body = chat(null, "Keep talking.", 150).toString();
      List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        pending.add(HTTP.sendAsync(HttpRequest.newBuilder(small.baseUrl().resolve("/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      int ok = 0;
      int busy = 0;
      for (CompletableFuture<HttpResponse<String>> f : pending) {
        HttpResponse<String> r = f.join();
        if (r.statusCode() == 503) {
          busy++;
          assertEquals("unavailable", JSON.readTree(r.body()).path("error").path("code").asText());
          assertTrue(r.headers().firstValue("Retry-After").isPresent());
        } else {
          assertEquals(200, r.statusCode(), r.body());
          ok++;
        }
      }
      assertTrue(busy >= 1, "one model thread and one queue slot cannot take 6 requests at once");
      assertTrue(ok >= 1, "the first request is answered");
    }
  }

  @Test
  void closeFinishesTheRequestInFlightThenRefusesConnections() throws Exception {
    ChatServer delayed = ChatServer.start(model, ServeSettings.defaults("tiny-test").withAddress("127.0.0.1", 0)
        .withResponseDelay(Duration.ofMillis(400)));
    URI url = delayed.baseUrl().resolve("/v1/chat/completions");
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(HttpRequest.newBuilder(url)
        .POST(HttpRequest.BodyPublishers.ofString(chat(null, "hi", 2).toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    while (delayed.served() == 0 && System.nanoTime() - start < 30_000_000_000L) {
      Thread.sleep(5);
    }
    delayed.close();
    HttpResponse<String> r = inFlight.join();
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(System.nanoTime() - start >= 400_000_000L, "the response waited for the configured delay");
    IOException refused = assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(url)
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()));
    assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
        refused.toString());
  }
}
