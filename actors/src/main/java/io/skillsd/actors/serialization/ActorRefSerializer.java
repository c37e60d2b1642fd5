package io.skillsd.actors.serialization;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Writes a typed {@link ActorRef} as its serialization format string and resolves it on read. */
final class ActorRefSerializer extends Serializer<ActorRef<?>> {

  /** The runtime class of typed actor references in a classic-backed actor system. */
  static final Class<?> ADAPTER_CLASS = adapterClass();

  private final ActorRefResolver resolver;

  ActorRefSerializer(ActorRefResolver resolver) {
    this.resolver = resolver;
    setImmutable(true);
  }

  private static Class<?> adapterClass() {
    try {
      return Class.forName("akka.actor.typed.internal.adapter.ActorRefAdapter");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Akka typed is not on the class path", e);
    }
  }

  @Override
  public void write(Kryo kryo, Output output, ActorRef<?> ref) {
    output.writeString(resolver.toSerializationFormat(ref));
  }

  @Override
  public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
    return resolver.resolveActorRef(input.readString());
  }
}
