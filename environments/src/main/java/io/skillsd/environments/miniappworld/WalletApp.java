package io.skillsd.environments.miniappworld;

import static io.skillsd.environments.miniappworld.ApiSpec.Param.optional;
import static io.skillsd.environments.miniappworld.ApiSpec.Param.required;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.INTEGER;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.NUMBER;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code wallet}: a payments app (balance, payments, money requests, top-ups from payment cards). */
final class WalletApp {

  private static final String USERS = "wallet.users";
  private static final String BALANCE = "wallet.balance";
  private static final String PAYMENTS = "wallet.payments";
  private static final String REQUESTS = "wallet.requests";
  private static final String TOP_UPS = "wallet.top_ups";

  private WalletApp() {}

  static App app() {
    return new App("wallet", "Your wallet: send and request money, pay requests, top up from a card.", List.of(
        AppCatalog.login("wallet"),
        new ApiSpec("wallet", "show_balance", "Show your wallet balance.", List.of(), true, "object",
            c -> Call.JSON.objectNode().put("balance", balance(c).number("balance"))),
        new ApiSpec("wallet", "search_users", "Find wallet users whose name or email contains query. Paginated.",
            List.of(required("query", STRING, "text to search for"),
                optional("page_index", INTEGER, "page to show, from 0; 5 items a page")),
            true, "page of users", c -> c.page(c.select(USERS, r -> Call.matches(
                r.string("first_name") + " " + r.string("last_name") + " " + r.string("email"), c.string("query"))))),
        new ApiSpec("wallet", "list_payments", "List payments you sent or received, newest first. Paginated.",
            List.of(optional("direction", STRING, "\"sent\" or \"received\" (default both)"),
                optional("page_index", INTEGER, "page to show, from 0; 5 items a page")),
            true, "page of payments", WalletApp::listPayments),
        new ApiSpec("wallet", "list_requests", "List money requests, newest first: incoming ones ask you to pay, "
            + "outgoing ones are yours to others. Paginated.",
            List.of(optional("direction", STRING, "\"incoming\" or \"outgoing\" (default both)"),
                optional("status", STRING, "\"pending\", \"paid\" or \"declined\" (default all)"),
                optional("page_index", INTEGER, "page to show, from 0; 5 items a page")),
            true, "page of requests", WalletApp::listRequests),
        new ApiSpec("wallet", "send_money", "Send money from your balance to a wallet user.",
            List.of(required("receiver_email", STRING, "the receiver's email"),
                required("amount", NUMBER, "amount in dollars, e.g. 12.5"), required("note", STRING, "what it is for")),
            true, "the new payment_id", c -> {
              String to = user(c, c.string("receiver_email"));
              long id = pay(c, to, c.money("amount"), c.string("note"));
              return Call.JSON.objectNode().put("payment_id", id).put("message", "Payment sent.");
            }),
        new ApiSpec("wallet", "request_money", "Ask a wallet user to pay you.",
            List.of(required("payer_email", STRING, "who should pay"),
                required("amount", NUMBER, "amount in dollars"), required("note", STRING, "what it is for")),
            true, "the new request_id", c -> {
              String from = user(c, c.string("payer_email"));
              Row row = c.db().insert(REQUESTS, Map.of("requester_email", c.session.supervisor.email(),
                  "payer_email", from, "amount", c.money("amount"), "note", c.string("note"), "status", "pending",
                  "created_at", c.session.now()));
              return Call.JSON.objectNode().put("request_id", row.id()).put("message", "Request sent.");
            }),
        new ApiSpec("wallet", "pay_request", "Pay a pending request someone sent you.",
            List.of(required("request_id", INTEGER, "the request")), true, "the new payment_id", c -> {
              Row request = incomingPending(c);
              long id = pay(c, request.string("requester_email"), request.number("amount"), request.string("note"));
              c.db().update(REQUESTS, request.id(), Map.of("status", "paid"));
              return Call.JSON.objectNode().put("payment_id", id).put("message", "Request paid.");
            }),
        new ApiSpec("wallet", "decline_request", "Decline a pending request someone sent you.",
            List.of(required("request_id", INTEGER, "the request")), true, "message", c -> {
              Row request = incomingPending(c);
              c.db().update(REQUESTS, request.id(), Map.of("status", "declined"));
              return Call.message("Request " + request.id() + " declined.");
            }),
        new ApiSpec("wallet", "add_funds", "Move money from one of your payment cards into your wallet balance.",
            List.of(required("payment_card_id", INTEGER, "from supervisor.show_payment_cards"),
                required("amount", NUMBER, "amount in dollars")), true, "the new balance", c -> {
              Row card = c.row("supervisor.payment_cards", "payment_card_id", "payment card");
              double amount = c.money("amount");
              c.db().insert(TOP_UPS, Map.of("payment_card_id", card.id(), "amount", amount,
                  "created_at", c.session.now()));
              Row b = balance(c);
              double now = Math.round((b.number("balance") + amount) * 100) / 100.0;
              c.db().update(BALANCE, b.id(), Map.of("balance", now));
              return Call.JSON.objectNode().put("balance", now).put("message", "Funds added.");
            })));
  }

  private static Row balance(Call c) {
    return c.db().rows(BALANCE).get(0);
  }

  private static String user(Call c, String email) throws ApiError {
    String e = email.trim();
    if (e.equalsIgnoreCase(c.session.supervisor.email())) {
      throw ApiError.rejected("you cannot pay or request money from yourself");
    }
    return c.db().rows(USERS).stream().map(r -> r.string("email")).filter(x -> x.equalsIgnoreCase(e)).findFirst()
        .orElseThrow(() -> ApiError.notFound("no wallet user with email '" + e + "'; find people with wallet.search_users"));
  }

  private static long pay(Call c, String to, double amount, String note) throws ApiError {
    Row b = balance(c);
    if (amount > b.number("balance")) {
      throw ApiError.rejected("insufficient balance: " + b.number("balance") + " < " + amount);
    }
    Row row = c.db().insert(PAYMENTS, Map.of("sender_email", c.session.supervisor.email(), "receiver_email", to,
        "amount", amount, "note", note, "created_at", c.session.now()));
    c.db().update(BALANCE, b.id(), Map.of("balance", Math.round((b.number("balance") - amount) * 100) / 100.0));
    return row.id();
  }

  private static Row incomingPending(Call c) throws ApiError {
    Row request = c.row(REQUESTS, "request_id", "request");
    if (!request.string("payer_email").equalsIgnoreCase(c.session.supervisor.email())) {
      throw ApiError.rejected("request " + request.id() + " was sent by you, not to you");
    }
    if (!request.string("status").equals("pending")) {
      throw ApiError.rejected("request " + request.id() + " is already " + request.string("status"));
    }
    return request;
  }

  private static JsonNode listPayments(Call c) throws ApiError {
    String direction = c.optionalString("direction").orElse("");
    String me = c.session.supervisor.email();
    if (!List.of("", "sent", "received").contains(direction)) {
      throw ApiError.rejected("direction must be \"sent\" or \"received\", got '" + direction + "'");
    }
    return c.page(c.db().rows(PAYMENTS).stream()
        .filter(r -> direction.isEmpty() || (direction.equals("sent") == r.string("sender_email").equals(me)))
        .sorted(Comparator.comparing((Row r) -> r.string("created_at")).reversed())
        .map(r -> c.json(PAYMENTS, r)).toList());
  }

  private static JsonNode listRequests(Call c) throws ApiError {
    String direction = c.optionalString("direction").orElse("");
    String status = c.optionalString("status").orElse("");
    String me = c.session.supervisor.email();
    if (!List.of("", "incoming", "outgoing").contains(direction)) {
      throw ApiError.rejected("direction must be \"incoming\" or \"outgoing\", got '" + direction + "'");
    }
    if (!List.of("", "pending", "paid", "declined").contains(status)) {
      throw ApiError.rejected("status must be \"pending\", \"paid\" or \"declined\", got '" + status + "'");
    }
    return c.page(c.db().rows(REQUESTS).stream()
        .filter(r -> direction.isEmpty() || (direction.equals("incoming") == r.string("payer_email").equals(me)))
        .filter(r -> status.isEmpty() || r.string("status").equals(status))
        .sorted(Comparator.comparing((Row r) -> r.string("created_at")).reversed())
        .map(r -> c.json(REQUESTS, r)).toList());
  }
}
