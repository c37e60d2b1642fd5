package io.skillsd.environments.miniappworld;

import java.util.List;
import java.util.Objects;

/**
 * A generated world: its people and the database of every app, seen from the supervisor (the user the
 * agent works for, {@code people.get(0)}).
 *
 * @param seed the seed it was generated from
 * @param people everyone in the world; the first is the supervisor
 * @param database the initial state of every app
 */
public record World(long seed, List<Person> people, Database database) {

  public World {
    people = List.copyOf(people);
    Objects.requireNonNull(database, "database");
    if (people.isEmpty()) {
      throw new IllegalArgumentException("a world needs people");
    }
  }

  public Person supervisor() {
    return people.get(0);
  }

  /** Everyone but the supervisor. */
  public List<Person> others() {
    return people.subList(1, people.size());
  }

  /**
   * One person of the world.
   *
   * @param firstName first name
   * @param lastName last name
   * @param email their email, which is also their wallet handle
   * @param phone their phone number
   */
  public record Person(String firstName, String lastName, String email, String phone) {
    public Person {
      Objects.requireNonNull(firstName, "firstName");
      Objects.requireNonNull(lastName, "lastName");
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(phone, "phone");
    }

    public String fullName() {
      return firstName + " " + lastName;
    }
  }
}
