package io.skillsd.environments.miniappworld;

import static io.skillsd.environments.miniappworld.ApiSpec.Param.optional;
import static io.skillsd.environments.miniappworld.ApiSpec.Param.required;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.INTEGER;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code phone}: contacts and text messages. */
final class PhoneApp {

  private static final String CONTACTS = "phone.contacts";
  private static final String MESSAGES = "phone.messages";
  private static final List<String> RELATIONS = List.of("friend", "family", "coworker", "neighbor", "other");

  private PhoneApp() {}

  static App app() {
    return new App("phone", "Your phone: contacts and text messages.", List.of(
        AppCatalog.login("phone"),
        new ApiSpec("phone", "show_contacts", "List your contacts, optionally those whose name, email or phone "
            + "number contains query. Paginated.", List.of(
                optional("query", STRING, "text to search for"),
                optional("relationship", STRING, "one of " + String.join(", ", RELATIONS)),
                optional("page_index", INTEGER, "page to show, from 0; 5 items a page")),
            true, "page of contacts", PhoneApp::showContacts),
        new ApiSpec("phone", "show_contact", "Show one contact.", List.of(required("contact_id", INTEGER, "the contact")),
            true, "contact", c -> c.json(CONTACTS, c.row(CONTACTS, "contact_id", "contact"))),
        new ApiSpec("phone", "add_contact", "Add a contact.", List.of(
                required("first_name", STRING, "first name"), required("last_name", STRING, "last name"),
                required("phone_number", STRING, "phone number"), optional("email", STRING, "email"),
                optional("relationship", STRING, "one of " + String.join(", ", RELATIONS))),
            true, "the new contact_id", PhoneApp::addContact),
        new ApiSpec("phone", "update_contact", "Change a contact's phone number, email or relationship.", List.of(
                required("contact_id", INTEGER, "the contact"), optional("phone_number", STRING, "new phone number"),
                optional("email", STRING, "new email"),
                optional("relationship", STRING, "one of " + String.join(", ", RELATIONS))),
            true, "the updated contact", PhoneApp::updateContact),
        new ApiSpec("phone", "delete_contact", "Delete a contact.", List.of(required("contact_id", INTEGER, "the contact")),
            true, "message", c -> {
              Row row = c.row(CONTACTS, "contact_id", "contact");
              c.db().delete(CONTACTS, row.id());
              return Call.message("Deleted contact " + row.id() + ".");
            }),
        new ApiSpec("phone", "show_messages", "List text messages, newest first, optionally only those "
            + "exchanged with one phone number. Paginated.", List.of(
                optional("phone_number", STRING, "only messages with this number"),
                optional("page_index", INTEGER, "page to show, from 0; 5 items a page")),
            true, "page of messages", c -> {
              String number = c.optionalString("phone_number").orElse("");
              List<Row> rows = c.db().rows(MESSAGES).stream()
                  .filter(r -> number.isEmpty() || r.string("phone_number").equals(number.trim()))
                  .sorted(Comparator.comparing((Row r) -> r.string("sent_at")).reversed()).toList();
              return c.page(rows.stream().map(r -> c.json(MESSAGES, r)).toList());
            }),
        new ApiSpec("phone", "send_message", "Send a text message.", List.of(
                required("phone_number", STRING, "recipient's phone number"), required("text", STRING, "the message")),
            true, "the new message_id", c -> {
              String number = c.string("phone_number").trim();
              if (!number.matches("[0-9+\\-() ]{3,20}")) {
                throw ApiError.rejected("'" + number + "' is not a phone number");
              }
              if (c.string("text").isBlank()) {
                throw ApiError.rejected("text must not be empty");
              }
              Row row = c.db().insert(MESSAGES, Map.of("phone_number", number, "direction", "outgoing",
                  "text", c.string("text"), "sent_at", c.session.now()));
              return Call.JSON.objectNode().put("message_id", row.id()).put("message", "Message sent.");
            })));
  }

  private static JsonNode showContacts(Call c) throws ApiError {
    String query = c.optionalString("query").orElse("");
    String relation = c.optionalString("relationship").orElse("");
    if (!relation.isEmpty()) {
      relation(relation);
    }
    return c.page(c.select(CONTACTS, r -> (query.isBlank()
        || Call.matches(r.string("first_name") + " " + r.string("last_name") + " " + r.string("email") + " "
            + r.string("phone_number"), query))
        && (relation.isEmpty() || r.string("relationship").equals(relation))));
  }

  private static JsonNode addContact(Call c) throws ApiError {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("first_name", c.string("first_name"));
    fields.put("last_name", c.string("last_name"));
    fields.put("phone_number", c.string("phone_number").trim());
    fields.put("email", c.optionalString("email").orElse(""));
    fields.put("relationship", relation(c.optionalString("relationship").orElse("other")));
    Row row = c.db().insert(CONTACTS, fields);
    return Call.JSON.objectNode().put("contact_id", row.id()).put("message", "Contact added.");
  }

  private static JsonNode updateContact(Call c) throws ApiError {
    Row row = c.row(CONTACTS, "contact_id", "contact");
    Map<String, Object> changes = new LinkedHashMap<>();
    c.optionalString("phone_number").ifPresent(v -> changes.put("phone_number", v.trim()));
    c.optionalString("email").ifPresent(v -> changes.put("email", v.trim()));
    if (c.optionalString("relationship").isPresent()) {
      changes.put("relationship", relation(c.optionalString("relationship").get()));
    }
    if (changes.isEmpty()) {
      throw ApiError.rejected("nothing to update: give phone_number, email or relationship");
    }
    ObjectNode out = c.json(CONTACTS, c.db().update(CONTACTS, row.id(), changes));
    return out;
  }

  private static String relation(String value) throws ApiError {
    if (!RELATIONS.contains(value)) {
      throw ApiError.rejected("relationship must be one of " + String.join(", ", RELATIONS) + ", got '" + value + "'");
    }
    return value;
  }
}
