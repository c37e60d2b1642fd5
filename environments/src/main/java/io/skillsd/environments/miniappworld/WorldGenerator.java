package io.skillsd.environments.miniappworld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generates a {@link World} from a seed with {@link java.util.Random}, whose algorithm the JDK specifies, so
 * the same seed gives the same world on every JVM. Twenty people; the first is the supervisor, whose apps
 * hold contacts, messages, notes, to-dos, wallet payments and requests, and a music library.
 */
public final class WorldGenerator {

  /** The apps that need a login, in the order passwords are listed. */
  static final List<String> LOGIN_APPS = List.of("phone", "notes", "todo", "wallet", "music");

  static final int PEOPLE = 20;

  private static final List<String> FIRST = List.of("Alice", "Bruno", "Chen", "Dara", "Emeka", "Farah",
      "Gustav", "Hana", "Ivan", "Jonas", "Keiko", "Liam", "Maya", "Nadia", "Omar", "Priya", "Quinn", "Rosa",
      "Sven", "Tara", "Umar", "Vera", "Wen", "Yusuf", "Zoe");
  private static final List<String> LAST = List.of("Abbott", "Berg", "Castillo", "Dubois", "Eriksen",
      "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor",
      "Petrov", "Quinlan", "Rossi", "Silva", "Tanaka", "Usman", "Vargas", "Weber", "Young");
  private static final List<String> RELATIONS = List.of("friend", "family", "coworker", "neighbor");
  private static final List<String> ARTISTS = List.of("The Quiet Harbors", "Neon Orchard", "Mila Sands",
      "Copper Lanterns", "DJ Farrow", "Ada Monroe", "Velvet Static", "The Low Tides");
  private static final List<String> ADJECTIVES = List.of("Golden", "Silent", "Electric", "Paper", "Broken",
      "Midnight", "Velvet", "Wild", "Hollow", "Crimson", "Gentle", "Restless");
  private static final List<String> NOUNS = List.of("River", "Skyline", "Heart", "Echo", "Garden", "Signal",
      "Highway", "Letter", "Window", "Comet", "Harbor", "Ember");
  private static final List<String> GENRES = List.of("pop", "rock", "jazz", "electronic", "folk");
  private static final List<String> NOTE_TITLES = List.of("Grocery list", "Book ideas", "Gift ideas",
      "Packing list", "Meeting notes", "Recipes to try", "Workout plan", "Garden plans", "Movies to watch",
      "Home repairs", "Podcast notes", "Birthday plans");
  private static final List<String> TODO_TITLES = List.of("Call the dentist", "Pay the electricity bill",
      "Return library books", "Water the plants", "Buy a birthday card", "Renew gym membership",
      "Clean the garage", "Book a haircut", "Update resume", "Fix the bike tire");
  private static final List<String> CHAT = List.of("Are we still on for Friday?", "Running ten minutes late",
      "Thanks again for yesterday!", "Did you see the game last night?", "Can you send me that photo?",
      "Happy to help anytime.", "Let's catch up soon.", "I left my umbrella at your place.");
  private static final List<String> PAYMENT_NOTES = List.of("Lunch", "Taxi", "Concert tickets", "Groceries",
      "Coffee", "Movie night", "Birthday gift", "Parking", "Brunch", "Pizza");
  private static final List<String> CARD_NAMES = List.of("Everyday Visa", "Travel Mastercard", "Gold Amex");

  private WorldGenerator() {}

  /** The world of {@code seed}. */
  public static World generate(long seed) {
    Random rng = new Random(seed);
    List<World.Person> people = people(rng);
    World.Person me = people.get(0);
    Database db = new Database();
    Clock clock = new Clock();

    db.createTable("supervisor.profile", "profile_id");
    db.insert("supervisor.profile", Map.of("first_name", me.firstName(), "last_name", me.lastName(),
        "email", me.email(), "phone_number", me.phone(), "birthday",
        String.format(Locale.ROOT, "19%02d-%02d-%02d", 70 + rng.nextInt(30), 1 + rng.nextInt(12), 1 + rng.nextInt(28))));
    db.createTable("supervisor.addresses", "address_id");
    db.insert("supervisor.addresses", Map.of("name", "home", "street", (10 + rng.nextInt(90)) + " Elm Street",
        "city", "Springfield"));
    db.insert("supervisor.addresses", Map.of("name", "work", "street", (100 + rng.nextInt(900)) + " Market Avenue",
        "city", "Springfield"));
    db.createTable("supervisor.account_passwords", "account_id");
    for (String app : LOGIN_APPS) {
      db.insert("supervisor.account_passwords", Map.of("account_name", app, "password", password(rng)));
    }
    db.createTable("supervisor.payment_cards", "payment_card_id");
    for (String name : CARD_NAMES) {
      db.insert("supervisor.payment_cards", Map.of("card_name", name, "owner_name", me.fullName(),
          "last_four", String.format(Locale.ROOT, "%04d", rng.nextInt(10000)),
          "expiry", String.format(Locale.ROOT, "%02d/%02d", 1 + rng.nextInt(12), 27 + rng.nextInt(4))));
    }

    List<World.Person> others = new ArrayList<>(people.subList(1, people.size()));
    Collections.shuffle(others, rng);
    List<World.Person> contacts = others.subList(0, 14);
    db.createTable("phone.contacts", "contact_id");
    for (World.Person p : contacts) {
      db.insert("phone.contacts", Map.of("first_name", p.firstName(), "last_name", p.lastName(),
          "phone_number", p.phone(), "email", p.email(), "relationship", pick(RELATIONS, rng)));
    }
    db.createTable("phone.messages", "message_id");
    for (int i = 0; i < 24; i++) {
      World.Person p = pick(contacts, rng);
      db.insert("phone.messages", Map.of("phone_number", p.phone(),
          "direction", rng.nextBoolean() ? "incoming" : "outgoing", "text", pick(CHAT, rng), "sent_at", clock.next(rng)));
    }

    db.createTable("notes.notes", "note_id");
    List<String> titles = new ArrayList<>(NOTE_TITLES);
    Collections.shuffle(titles, rng);
    for (String title : titles.subList(0, 9)) {
      db.insert("notes.notes", Map.of("title", title, "body", title + ":\n- " + pick(TODO_TITLES, rng).toLowerCase(Locale.ROOT)
          + "\n- " + pick(PAYMENT_NOTES, rng).toLowerCase(Locale.ROOT), "created_at", clock.next(rng)));
    }

    db.createTable("todo.tasks", "task_id");
    List<String> todos = new ArrayList<>(TODO_TITLES);
    Collections.shuffle(todos, rng);
    for (String title : todos.subList(0, 8)) {
      db.insert("todo.tasks", Map.of("title", title, "due_date", date(rng), "done", rng.nextInt(3) == 0));
    }

    db.createTable("wallet.users", "user_id");
    for (World.Person p : people) {
      db.insert("wallet.users", Map.of("first_name", p.firstName(), "last_name", p.lastName(), "email", p.email()));
    }
    db.createTable("wallet.balance", "balance_id");
    db.insert("wallet.balance", Map.of("balance", money(50000 + rng.nextInt(100000))));
    db.createTable("wallet.top_ups", "top_up_id");
    db.createTable("wallet.payments", "payment_id");
    for (int i = 0; i < 12; i++) {
      World.Person p = pick(others, rng);
      boolean sent = rng.nextBoolean();
      db.insert("wallet.payments", Map.of("sender_email", sent ? me.email() : p.email(),
          "receiver_email", sent ? p.email() : me.email(), "amount", money(500 + rng.nextInt(6000)),
          "note", pick(PAYMENT_NOTES, rng), "created_at", clock.next(rng)));
    }
    db.createTable("wallet.requests", "request_id");
    for (int i = 0; i < 8; i++) {
      World.Person p = pick(others, rng);
      boolean incoming = rng.nextBoolean();
      db.insert("wallet.requests", Map.of("requester_email", incoming ? p.email() : me.email(),
          "payer_email", incoming ? me.email() : p.email(), "amount", money(500 + rng.nextInt(6000)),
          "note", pick(PAYMENT_NOTES, rng), "status", i % 3 == 0 ? "pending" : (i % 3 == 1 ? "paid" : "declined"),
          "created_at", clock.next(rng)));
    }

    db.createTable("music.songs", "song_id");
    List<String> songTitles = songTitles(rng);
    for (int i = 0; i < songTitles.size(); i++) {
      db.insert("music.songs", Map.of("title", songTitles.get(i), "artist", ARTISTS.get(i % ARTISTS.size()),
          "genre", pick(GENRES, rng), "duration_seconds", (long) (150 + rng.nextInt(180))));
    }
    List<Long> songIds = new ArrayList<>();
    for (long id = 1; id <= songTitles.size(); id++) {
      songIds.add(id);
    }
    Collections.shuffle(songIds, rng);
    db.createTable("music.library", "library_entry_id");
    for (long songId : songIds.subList(0, 16)) {
      db.insert("music.library", Map.of("song_id", songId, "added_at", clock.next(rng)));
    }
    db.createTable("music.playlists", "playlist_id");
    db.createTable("music.playlist_songs", "playlist_entry_id");
    for (String name : List.of("Morning Run", "Focus", "Road Trip")) {
      long playlistId = db.insert("music.playlists", Map.of("name", name)).id();
      Collections.shuffle(songIds, rng);
      for (long songId : songIds.subList(0, 4 + rng.nextInt(5))) {
        db.insert("music.playlist_songs", Map.of("playlist_id", playlistId, "song_id", songId));
      }
    }
    return new World(seed, people, db);
  }

  static double money(int cents) {
    return cents / 100.0;
  }

  static <T> T pick(List<T> items, Random rng) {
    return items.get(rng.nextInt(items.size()));
  }

  static String date(Random rng) {
    return String.format(Locale.ROOT, "2026-%02d-%02d", 6 + rng.nextInt(4), 1 + rng.nextInt(28));
  }

  private static List<World.Person> people(Random rng) {
    List<String> first = new ArrayList<>(FIRST);
    List<String> last = new ArrayList<>(LAST);
    Collections.shuffle(first, rng);
    Collections.shuffle(last, rng);
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      numbers.add(i);
    }
    Collections.shuffle(numbers, rng);
    List<World.Person> people = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      String f = first.get(i);
      String l = last.get(i);
      people.add(new World.Person(f, l, (f + "." + l).toLowerCase(Locale.ROOT) + "@example.com",
          String.format(Locale.ROOT, "555-01%02d", numbers.get(i))));
    }
    return people;
  }

  private static List<String> songTitles(Random rng) {
    LinkedHashSet<String> titles = new LinkedHashSet<>();
    while (titles.size() < 40) {
      titles.add(pick(ADJECTIVES, rng) + " " + pick(NOUNS, rng));
    }
    return new ArrayList<>(titles);
  }

  private static String password(Random rng) {
    String alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** Increasing timestamps in May 2026, so "most recent" is always well defined. */
  private static final class Clock {
    private int minutes;

    String next(Random rng) {
      minutes += 30 + rng.nextInt(600);
      int day = 1 + minutes / (24 * 60);
      int hour = (minutes / 60) % 24;
      return String.format(Locale.ROOT, "2026-05-%02d %02d:%02d", Math.min(day, 31), hour, minutes % 60);
    }
  }
}
