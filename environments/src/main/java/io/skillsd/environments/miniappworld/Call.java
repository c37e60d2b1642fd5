package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** One validated call as a handler sees it: the session and the arguments, already type-checked. */
final class Call {

  static final int PAGE_SIZE = 5;
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  final Session session;
  final ApiSpec api;
  private final Map<String, JsonNode> args;

  Call(Session session, ApiSpec api, Map<String, JsonNode> args) {
    this.session = session;
    this.api = api;
    this.args = Map.copyOf(args);
  }

  Database db() {
    return session.db;
  }

  String string(String name) {
    return present(name).asText();
  }

  Optional<String> optionalString(String name) {
    return Optional.ofNullable(args.get(name)).map(JsonNode::asText);
  }

  long integer(String name) {
    return present(name).asLong();
  }

  double money(String name) throws ApiError {
    double value = present(name).asDouble();
    double cents = Math.round(value * 100) / 100.0;
    if (!(value > 0) || Math.abs(value - cents) > 1e-9) {
      throw ApiError.rejected(name + " must be a positive amount with at most two decimals, got " + present(name));
    }
    return cents;
  }

  Optional<Boolean> optionalBool(String name) {
    return Optional.ofNullable(args.get(name)).map(JsonNode::asBoolean);
  }

  /** The {@code page_index} argument (default 0). */
  int pageIndex() throws ApiError {
    long page = Optional.ofNullable(args.get("page_index")).map(JsonNode::asLong).orElse(0L);
    if (page < 0) {
      throw ApiError.rejected("page_index must be >= 0, got " + page);
    }
    return (int) Math.min(page, Integer.MAX_VALUE);
  }

  /** The row of {@code table} whose id is the argument {@code idArg}. */
  Row row(String table, String idArg, String what) throws ApiError {
    long id = integer(idArg);
    return db().find(table, id).orElseThrow(() -> ApiError.notFound("no " + what + " with " + idArg + " " + id));
  }

  /** The row's fields with its id under the table's id field first. */
  ObjectNode json(String table, Row row) {
    ObjectNode node = JSON.objectNode();
    node.put(db().idField(table), row.id());
    row.fields().forEach((k, v) -> put(node, k, v));
    return node;
  }

  /** Page {@link #pageIndex()} of {@code items}: {@code {"page_index", "page_size", "has_more", "items"}}. */
  ObjectNode page(List<? extends JsonNode> items) throws ApiError {
    int page = pageIndex();
    ObjectNode node = JSON.objectNode();
    node.put("page_index", page);
    node.put("page_size", PAGE_SIZE);
    long from = (long) page * PAGE_SIZE;
    node.put("has_more", from + PAGE_SIZE < items.size());
    ArrayNode array = node.putArray("items");
    for (long i = from; i < Math.min(items.size(), from + PAGE_SIZE); i++) {
      array.add(items.get((int) i));
    }
    return node;
  }

  /** Rows of {@code table} that satisfy {@code filter}, as JSON, in id order. */
  List<ObjectNode> select(String table, Predicate<Row> filter) {
    return db().rows(table).stream().filter(filter).map(r -> json(table, r)).toList();
  }

  static ObjectNode message(String text) {
    return JSON.objectNode().put("message", text);
  }

  static void put(ObjectNode node, String key, Object value) {
    if (value instanceof String s) {
      node.put(key, s);
    } else if (value instanceof Long l) {
      node.put(key, l);
    } else if (value instanceof Double d) {
      node.put(key, d);
    } else if (value instanceof Boolean b) {
      node.put(key, b);
    } else {
      throw new IllegalStateException("unsupported value " + value);
    }
  }

  /** Case-insensitive containment, the search semantics of every {@code query} argument. */
  static boolean matches(String haystack, String query) {
    return haystack.toLowerCase(java.util.Locale.ROOT).contains(query.trim().toLowerCase(java.util.Locale.ROOT));
  }

  private JsonNode present(String name) {
    JsonNode v = args.get(name);
    if (v == null) {
      throw new IllegalStateException(api.qualifiedName() + " handler read undeclared or absent argument " + name);
    }
    return v;
  }
}
