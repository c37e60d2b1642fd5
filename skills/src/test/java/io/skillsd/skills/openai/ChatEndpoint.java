package io.skillsd.skills.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 that speaks the chat-completions wire format and answers from a script:
 * the i-th request gets the i-th reply, and the last reply repeats. It records every request.
 */
final class ChatEndpoint implements AutoCloseable {

  /** One scripted reply. */
  record Reply(int status, String body, long delayMillis, Map<String, String> headers) {
    /** A 200 completion whose assistant message is {@code content}. */
    static Reply completion(String content) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("id", "chatcmpl-test");
      root.put("object", "chat.completion");
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", content);
      choice.put("finish_reason", "stop");
      return new Reply(200, root.toString(), 0, Map.of());
    }

    static Reply status(int status, String body) {
      return new Reply(status, body, 0, Map.of());
    }

    Reply delayed(long millis) {
      return new Reply(status, body, millis, headers);
    }

    Reply withHeader(String name, String value) {
      return new Reply(status, body, delayMillis, Map.of(name, value));
    }
  }

  /** A received request. */
  record Received(long nanoTime, String method, String path, String body, String authorization) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Reply> script;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  ChatEndpoint(List<Reply> script) throws IOException {
    this.script = new ArrayList<>(script);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    int index;
    synchronized (received) {
      index = received.size();
      received.add(new Received(System.nanoTime(), exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          body, exchange.getRequestHeaders().getFirst("Authorization")));
    }
    Reply reply = script.get(Math.min(index, script.size() - 1));
    try {
      if (reply.delayMillis() > 0) {
        Thread.sleep(reply.delayMillis());
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client gave up (timeout) and closed the connection
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
