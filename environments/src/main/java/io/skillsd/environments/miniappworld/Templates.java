package io.skillsd.environments.miniappworld;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The twelve task templates. Eight are training templates (three per difficulty 1 and 2, two of 3); four are
 * held out (one of difficulty 1, two of 2, one of 3). Each recipe uses only its slots and what observations
 * return.
 */
final class Templates {

  static final List<TaskTemplate> ALL = List.of(
      new ContactPhone(), new AddTodo(), new DeleteNote(), new PayRequest(), new SendMoney(),
      new ArtistPlaylist(), new SplitDinner(), new ErrandsFromText(),
      new UpdateContactPhone(), new RequesterPhone(), new TopUp(), new RemindDebtors());

  private Templates() {}

  static String money(double amount) {
    return String.format(Locale.ROOT, "%.2f", amount);
  }

  static List<Row> contacts(Database db) {
    return db.rows("phone.contacts");
  }

  static String fullName(Row contact) {
    return contact.string("first_name") + " " + contact.string("last_name");
  }

  static TaskEvaluation answer(String answer) {
    return new TaskEvaluation(Optional.of(answer), List.of(), List.of());
  }

  static TaskEvaluation changes(List<Expectation> required, Expectation... allowed) {
    return new TaskEvaluation(Optional.empty(), required, List.of(allowed));
  }

  /** d1: look a contact's number up in the phone app. */
  static final class ContactPhone implements TaskTemplate {
    public String name() { return "contact_phone"; }
    public int difficulty() { return 1; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("phone"); }

    public Built build(World world, Database db, Draw draw) {
      Row c = draw.pick(contacts(db));
      return new Built("What is the phone number of my contact " + fullName(c) + "? Answer with the number only.",
          Map.of("name", fullName(c)), answer(c.string("phone_number")));
    }

    public void solve(Script s, Map<String, String> slots) {
      String token = s.login("phone");
      s.complete(s.first("phone", "show_contacts", "access_token", token, "query", slots.get("name"))
          .get("phone_number").asText());
    }
  }

  /** d1: add one to-do with a due date. */
  static final class AddTodo implements TaskTemplate {
    private static final List<String> TITLES = List.of("Book flights to Lisbon", "Schedule the car service",
        "Send thank-you cards", "Order printer ink", "Cancel the streaming trial", "Plan the team lunch",
        "Buy hiking boots", "Back up laptop photos", "Register for the 10k run");

    public String name() { return "add_todo"; }
    public int difficulty() { return 1; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("todo"); }

    public Built build(World world, Database db, Draw draw) {
      String title = draw.pick(TITLES);
      String due = WorldGenerator.date(draw.random);
      return new Built("Add \"" + title + "\" to my to-do list, due on " + due + ".",
          Map.of("title", title, "due_date", due),
          changes(List.of(Expectation.inserted("todo.tasks", Map.of("title", title, "due_date", due, "done", false)))));
    }

    public void solve(Script s, Map<String, String> slots) {
      String token = s.login("todo");
      s.call("todo", "add_task", "access_token", token, "title", slots.get("title"), "due_date", slots.get("due_date"));
      s.complete();
    }
  }

  /** d1: find a note by title among several pages and delete it. */
  static final class DeleteNote implements TaskTemplate {
    public String name() { return "delete_note"; }
    public int difficulty() { return 1; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("notes"); }

    public Built build(World world, Database db, Draw draw) {
      Row note = draw.pick(db.rows("notes.notes"));
      return new Built("Delete my note titled \"" + note.string("title") + "\".", Map.of("title", note.string("title")),
          changes(List.of(Expectation.deleted("notes.notes", note.id()))));
    }

    public void solve(Script s, Map<String, String> slots) {
      String token = s.login("notes");
      for (JsonNode n : s.pages("notes", "list_notes", "access_token", token)) {
        if (n.get("title").asText().equals(slots.get("title"))) {
          s.call("notes", "delete_note", "access_token", token, "note_id", n.get("note_id").asLong());
        }
      }
      s.complete();
    }
  }

  /** d2: pay a pending money request found by its note. */
  static final class PayRequest implements TaskTemplate {
    private static final List<String> NOTES = List.of("Dinner at Luigi's", "Concert tickets for Saturday",
        "Shared taxi from the airport", "Book club snacks", "Half of the cabin deposit", "Yoga class pass",
        "Office gift collection", "Farmers market haul", "Karaoke night");

    public String name() { return "pay_request"; }
    public int difficulty() { return 2; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("wallet"); }

    public Built build(World world, Database db, Draw draw) {
      World.Person p = draw.pick(world.others());
      String note = draw.pick(NOTES);
      double amount = draw.amount(8, 90);
      Row request = db.insert("wallet.requests", Map.of("requester_email", p.email(),
          "payer_email", world.supervisor().email(), "amount", amount, "note", note, "status", "pending",
          "created_at", "2026-05-30 12:00"));
      return new Built(p.fullName() + " sent me a money request on the wallet app for \"" + note + "\". Pay it.",
          Map.of("name", p.fullName(), "note", note),
          changes(List.of(Expectation.updated("wallet.requests", request.id(), Map.of("status", "paid")),
                  Expectation.inserted("wallet.payments", Map.of("receiver_email", p.email(), "amount", amount))),
              Expectation.anyUpdate("wallet.balance")));
    }

    public void solve(Script s, Map<String, String> slots) {
      String token = s.login("wallet");
      for (JsonNode r : s.pages("wallet", "list_requests", "access_token", token, "direction", "incoming",
          "status", "pending")) {
        if (r.get("note").asText().equals(slots.get("note"))) {
          s.call("wallet", "pay_request", "access_token", token, "request_id", r.get("request_id").asLong());
        }
      }
      s.complete();
    }
  }

  /** d2: look a person up in the wallet and send them money. */
  static final class SendMoney implements TaskTemplate {
    private static final List<String> NOTES = List.of("Thanks for the plants", "Your half of the groceries",
        "Birthday present", "Bowling night", "Train tickets", "Cookbook", "Museum entry", "Bike repair");

    public String name() { return "send_money"; }
    public int difficulty() { return 2; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("wallet"); }

    public Built build(World world, Database db, Draw draw) {
      World.Person p = draw.pick(world.others());
      String note = draw.pick(NOTES);
      double amount = draw.amount(5, 120);
      return new Built("Send $" + money(amount) + " to " + p.fullName() + " on the wallet app with the note \""
          + note + "\".", Map.of("name", p.fullName(), "amount", money(amount), "note", note),
          changes(List.of(Expectation.inserted("wallet.payments", Map.of("receiver_email", p.email(),
              "amount", amount, "note", note))), Expectation.anyUpdate("wallet.balance")));
    }

    public void solve(Script s, Map<String, String> slots) {
      String token = s.login("wallet");
      String email = s.first("wallet", "search_users", "access_token", token, "query", slots.get("name"))
          .get("email").asText();
      s.call("wallet", "send_money", "access_token", token, "receiver_email", email,
          "amount", Double.parseDouble(slots.get("amount")), "note", slots.get("note"));
      s.complete();
    }
  }

  /** d2: a new playlist from every library song of one artist. */
  static final class ArtistPlaylist implements TaskTemplate {
    private static final List<String> NAMES = List.of("Weekend Mix", "Evening Chill", "Gym Beats",
        "Sunday Morning", "Deep Work", "Kitchen Dance", "Late Night Drive");

    public String name() { return "artist_playlist"; }
    public int difficulty() { return 2; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("music"); }

    public Built build(World world, Database db, Draw draw) {
      List<Row> library = db.rows("music.library").stream()
          .map(e -> db.find("music.songs", e.integer("song_id")).orElseThrow()).toList();
      List<String> artists = library.stream().map(r -> r.string("artist")).distinct().sorted().toList();
      String artist = draw.pick(artists);
      String playlist = draw.pick(NAMES);
      List<Expectation> required = new ArrayList<>();
      required.add(Expectation.inserted("music.playlists", Map.of("name", playlist)));
      Expectation.Ref newPlaylist = new Expectation.Ref(0, "the new playlist");
      library.stream().filter(r -> r.string("artist").equals(artist)).forEach(r -> required.add(
          Expectation.inserted("music.playlist_songs", Map.of("playlist_id", newPlaylist, "song_id", r.id()))));
      return new Built("Create a music playlist named \"" + playlist + "\" with every song by " + artist
          + " that is in my library, and nothing else.", Map.of("artist", artist, "playlist", playlist),
          changes(required));
    }

    public void solve(Script s, Map<String, String> slots) {
      String token = s.login("music");
      List<JsonNode> songs = s.pages("music", "show_library", "access_token", token);
      long playlist = s.call("music", "create_playlist", "access_token", token, "name", slots.get("playlist"))
          .get("playlist_id").asLong();
      for (JsonNode song : songs) {
        if (song.get("artist").asText().equals(slots.get("artist"))) {
          s.call("music", "add_song_to_playlist", "access_token", token, "playlist_id", playlist,
              "song_id", song.get("song_id").asLong());
        }
      }
      s.complete();
    }
  }

  /** d3: read who is owed what from a note, find each in the wallet, pay each. */
  static final class SplitDinner implements TaskTemplate {
    private static final List<String> PLACES = List.of("Sakura", "Casa Lupe", "The Green Fork", "Bistro Nord",
        "Mama Rosa's", "Spice Route", "Harbor Grill");
    private static final Pattern LINE = Pattern.compile("^- (.+): \\$([0-9]+\\.[0-9]{2})$", Pattern.MULTILINE);

    public String name() { return "split_dinner"; }
    public int difficulty() { return 3; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("notes", "wallet"); }

    public Built build(World world, Database db, Draw draw) {
      String title = "Dinner at " + draw.pick(PLACES);
      List<World.Person> others = new ArrayList<>(world.others());
      Collections.shuffle(others, draw.random);
      int count = 2 + draw.random.nextInt(2);
      StringBuilder body = new StringBuilder("We split the bill at " + title.substring(10) + ".\nI owe:\n");
      List<Expectation> required = new ArrayList<>();
      for (World.Person p : others.subList(0, count)) {
        double amount = draw.amount(9, 60);
        body.append("- ").append(p.fullName()).append(": $").append(money(amount)).append('\n');
        required.add(Expectation.inserted("wallet.payments", Map.of("receiver_email", p.email(), "amount", amount,
            "note", title)));
      }
      body.append("Settle up on the wallet app.");
      db.insert("notes.notes", Map.of("title", title, "body", body.toString(), "created_at", "2026-05-30 22:15"));
      return new Built("I owe some friends money for the dinner in my note \"" + title + "\". Pay each of them "
          + "back on the wallet app, with the note's title as the payment note.", Map.of("title", title),
          changes(required, Expectation.anyUpdate("wallet.balance")));
    }

    public void solve(Script s, Map<String, String> slots) {
      String notes = s.login("notes");
      String body = "";
      for (JsonNode n : s.pages("notes", "list_notes", "access_token", notes)) {
        if (n.get("title").asText().equals(slots.get("title"))) {
          body = s.call("notes", "show_note", "access_token", notes, "note_id", n.get("note_id").asLong())
              .get("body").asText();
        }
      }
      String wallet = s.login("wallet");
      Matcher m = LINE.matcher(body);
      while (m.find()) {
        String email = s.first("wallet", "search_users", "access_token", wallet, "query", m.group(1))
            .get("email").asText();
        s.call("wallet", "send_money", "access_token", wallet, "receiver_email", email,
            "amount", Double.parseDouble(m.group(2)), "note", slots.get("title"));
      }
      s.complete();
    }
  }

  /** d3: a contact texted a list of errands; add each to the to-do list. */
  static final class ErrandsFromText implements TaskTemplate {
    private static final List<String> ERRANDS = List.of("buy oat milk", "pick up the dry cleaning",
        "book the vet appointment", "return the drill", "order new curtains", "renew the parking permit",
        "get stamps", "water the balcony plants");
    static final String PREFIX = "Could you add these to your list: ";

    public String name() { return "errands_from_text"; }
    public int difficulty() { return 3; }
    public boolean heldOut() { return false; }
    public List<String> apps() { return List.of("phone", "todo"); }

    public Built build(World world, Database db, Draw draw) {
      Row c = draw.pick(contacts(db));
      List<String> errands = new ArrayList<>(ERRANDS);
      Collections.shuffle(errands, draw.random);
      errands = errands.subList(0, 3);
      db.insert("phone.messages", Map.of("phone_number", c.string("phone_number"), "direction", "incoming",
          "text", "Hey! " + PREFIX + String.join("; ", errands) + ". Thanks!", "sent_at", "2026-05-30 18:00"));
      List<Expectation> required = new ArrayList<>();
      for (String e : errands) {
        required.add(Expectation.inserted("todo.tasks", Map.of("title", e, "done", false)));
      }
      return new Built(fullName(c) + " texted me a list of errands. Add each errand to my to-do list as its own task, "
          + "worded as in the message.", Map.of("name", fullName(c)), changes(required));
    }

    public void solve(Script s, Map<String, String> slots) {
      String phone = s.login("phone");
      String number = s.first("phone", "show_contacts", "access_token", phone, "query", slots.get("name"))
          .get("phone_number").asText();
      List<String> errands = new ArrayList<>();
      for (JsonNode m : s.pages("phone", "show_messages", "access_token", phone, "phone_number", number)) {
        String text = m.get("text").asText();
        int at = text.indexOf(PREFIX);
        if (at >= 0 && errands.isEmpty()) {
          String list = text.substring(at + PREFIX.length(), text.indexOf('.', at));
          for (String e : list.split(";")) {
            errands.add(e.strip());
          }
        }
      }
      String todo = s.login("todo");
      for (String e : errands) {
        s.call("todo", "add_task", "access_token", todo, "title", e);
      }
      s.complete();
    }
  }

  /** d1, held out: change a contact's phone number. */
  static final class UpdateContactPhone implements TaskTemplate {
    public String name() { return "update_contact_phone"; }
    public int difficulty() { return 1; }
    public boolean heldOut() { return true; }
    public List<String> apps() { return List.of("phone"); }

    public Built build(World world, Database db, Draw draw) {
      Row c = draw.pick(contacts(db));
      String number = String.format(Locale.ROOT, "555-02%02d", draw.random.nextInt(100));
      return new Built(fullName(c) + " has a new phone number, " + number + ". Update their contact in my phone.",
          Map.of("name", fullName(c), "number", number),
          changes(List.of(Expectation.updated("phone.contacts", c.id(), Map.of("phone_number", number)))));
    }

    public void solve(Script s, Map<String, String> slots) {
      String token = s.login("phone");
      long id = s.first("phone", "show_contacts", "access_token", token, "query", slots.get("name"))
          .get("contact_id").asLong();
      s.call("phone", "update_contact", "access_token", token, "contact_id", id, "phone_number", slots.get("number"));
      s.complete();
    }
  }

  /** d2, held out: who asked me for money for X, and what is their number? */
  static final class RequesterPhone implements TaskTemplate {
    private static final List<String> NOTES = List.of("Festival wristband", "Pottery class", "Shared Uber home",
        "Camping gear rental", "Escape room", "Wine tasting", "Board game cafe", "Surprise party supplies");

    public String name() { return "requester_phone"; }
    public int difficulty() { return 2; }
    public boolean heldOut() { return true; }
    public List<String> apps() { return List.of("wallet", "phone"); }

    public Built build(World world, Database db, Draw draw) {
      Row c = draw.pick(contacts(db));
      String note = draw.pick(NOTES);
      double amount = draw.amount(10, 80);
      db.insert("wallet.requests", Map.of("requester_email", c.string("email"),
          "payer_email", world.supervisor().email(), "amount", amount, "note", note, "status", "pending",
          "created_at", "2026-05-29 16:40"));
      return new Built("Someone asked me on the wallet app for $" + money(amount) + " for \"" + note + "\". What "
          + "is their phone number in my phone contacts? Answer with the number only.", Map.of("note", note),
          answer(c.string("phone_number")));
    }

    public void solve(Script s, Map<String, String> slots) {
      String wallet = s.login("wallet");
      String email = "";
      for (JsonNode r : s.pages("wallet", "list_requests", "access_token", wallet, "direction", "incoming")) {
        if (r.get("note").asText().equals(slots.get("note"))) {
          email = r.get("requester_email").asText();
        }
      }
      String phone = s.login("phone");
      s.complete(s.first("phone", "show_contacts", "access_token", phone, "query", email).get("phone_number").asText());
    }
  }

  /** d2, held out: top the wallet up from a named payment card. */
  static final class TopUp implements TaskTemplate {
    public String name() { return "top_up"; }
    public int difficulty() { return 2; }
    public boolean heldOut() { return true; }
    public List<String> apps() { return List.of("wallet"); }

    public Built build(World world, Database db, Draw draw) {
      Row card = draw.pick(db.rows("supervisor.payment_cards"));
      double amount = draw.amount(20, 300);
      Row balance = db.rows("wallet.balance").get(0);
      double after = Math.round((balance.number("balance") + amount) * 100) / 100.0;
      return new Built("Add $" + money(amount) + " to my wallet balance from my " + card.string("card_name")
          + " card.", Map.of("card", card.string("card_name"), "amount", money(amount)),
          changes(List.of(Expectation.inserted("wallet.top_ups", Map.of("payment_card_id", card.id(), "amount", amount)),
              Expectation.updated("wallet.balance", balance.id(), Map.of("balance", after)))));
    }

    public void solve(Script s, Map<String, String> slots) {
      long card = -1;
      for (JsonNode c : s.call("supervisor", "show_payment_cards")) {
        if (c.get("card_name").asText().equals(slots.get("card"))) {
          card = c.get("payment_card_id").asLong();
        }
      }
      String token = s.login("wallet");
      s.call("wallet", "add_funds", "access_token", token, "payment_card_id", card,
          "amount", Double.parseDouble(slots.get("amount")));
      s.complete();
    }
  }

  /** d3, held out: text a reminder to everyone with a pending request from me. */
  static final class RemindDebtors implements TaskTemplate {
    private static final List<String> TEXTS = List.of(
        "Hi! Friendly reminder about my wallet request when you get a chance.",
        "Hey, could you settle my wallet request? Thanks!", "Just a nudge about the money request I sent you.",
        "Reminder: my wallet request is still open. No rush!", "Hi, please have a look at my wallet request.",
        "Quick reminder about the request I sent on the wallet app.");

    public String name() { return "remind_debtors"; }
    public int difficulty() { return 3; }
    public boolean heldOut() { return true; }
    public List<String> apps() { return List.of("wallet", "phone"); }

    public Built build(World world, Database db, Draw draw) {
      String me = world.supervisor().email();
      Map<String, String> phones = new LinkedHashMap<>();
      contacts(db).forEach(c -> phones.put(c.string("email"), c.string("phone_number")));
      for (Row r : db.rows("wallet.requests")) {
        boolean pendingMine = r.string("requester_email").equals(me) && r.string("status").equals("pending");
        if (pendingMine && !phones.containsKey(r.string("payer_email"))) {
          db.update("wallet.requests", r.id(), Map.of("status", "paid"));
        }
      }
      List<Row> debtors = new ArrayList<>(contacts(db));
      Collections.shuffle(debtors, draw.random);
      for (Row c : debtors.subList(0, 2)) {
        db.insert("wallet.requests", Map.of("requester_email", me, "payer_email", c.string("email"),
            "amount", draw.amount(10, 70), "note", "Tickets", "status", "pending", "created_at", "2026-05-28 10:00"));
      }
      String text = draw.pick(TEXTS);
      LinkedHashSet<String> owing = new LinkedHashSet<>();
      for (Row r : db.rows("wallet.requests")) {
        if (r.string("requester_email").equals(me) && r.string("status").equals("pending")) {
          owing.add(r.string("payer_email"));
        }
      }
      List<Expectation> required = new ArrayList<>();
      for (String email : owing) {
        required.add(Expectation.inserted("phone.messages", Map.of("phone_number", phones.get(email),
            "direction", "outgoing", "text", text)));
      }
      return new Built("Text everyone who still owes me money on a pending wallet request I sent, one message "
          + "per person: \"" + text + "\"", Map.of("text", text), changes(required));
    }

    public void solve(Script s, Map<String, String> slots) {
      String wallet = s.login("wallet");
      LinkedHashSet<String> owing = new LinkedHashSet<>();
      for (JsonNode r : s.pages("wallet", "list_requests", "access_token", wallet, "direction", "outgoing",
          "status", "pending")) {
        owing.add(r.get("payer_email").asText());
      }
      String phone = s.login("phone");
      for (String email : owing) {
        String number = s.first("phone", "show_contacts", "access_token", phone, "query", email)
            .get("phone_number").asText();
        s.call("phone", "send_message", "access_token", phone, "phone_number", number, "text", slots.get("text"));
      }
      s.complete();
    }
  }
}
