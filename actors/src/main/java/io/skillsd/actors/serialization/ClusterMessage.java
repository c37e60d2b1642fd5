package io.skillsd.actors.serialization;

/**
 * Marks a message that may cross a process boundary. Akka serializes every such message with
 * {@link KryoSerializer}; its class (and every class inside it) must be in {@link KryoRegistrations}.
 * Java serialization is off, so an unmarked message sent to another node fails loudly.
 *
 * <p>Implementations are records of Strings, numbers, booleans, primitive arrays, {@code List.of} /
 * {@code Map.of} collections and other records — never NDArrays or actor-local objects.
 */
public interface ClusterMessage {}
