package io.skillsd.actors.serialization;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.JSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.serializers.OptionalSerializers;
import com.esotericsoftware.kryo.util.Pool;
import java.util.Map;
import java.util.Optional;

/**
 * Akka serializer for every {@link ClusterMessage}: Kryo with registration required and the fixed id
 * table of {@link KryoRegistrations}, so an unregistered class fails on the sender with its name instead
 * of being written by class name. Kryo instances are pooled (Kryo is not thread-safe).
 */
public final class KryoSerializer extends JSerializer {

  /** Akka serializer id; must not collide with Akka's own (below 40). */
  public static final int IDENTIFIER = 720_117;

  private final Pool<Kryo> pool;
  private final Pool<Output> outputs;

  public KryoSerializer(ExtendedActorSystem system) {
    this(Optional.of(ActorRefResolver.get(Adapter.toTyped(system))));
  }

  private KryoSerializer(Optional<ActorRefResolver> resolver) {
    this.pool = new Pool<>(true, false, 16) {
      @Override
      protected Kryo create() {
        return newKryo(resolver);
      }
    };
    this.outputs = new Pool<>(true, false, 16) {
      @Override
      protected Output create() {
        return new Output(4096, -1);
      }
    };
  }

  /** A serializer with no actor system: messages holding actor references cannot be written. For tests. */
  public static KryoSerializer withoutActorSystem() {
    return new KryoSerializer(Optional.empty());
  }

  /** A Kryo configured exactly as every node configures it. */
  public static Kryo newKryo(Optional<ActorRefResolver> resolver) {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    OptionalSerializers.addDefaultSerializers(kryo);
    UnmodifiableCollectionSerializers.addDefaultSerializers(kryo);
    resolver.ifPresent(r -> kryo.addDefaultSerializer(ActorRef.class, new ActorRefSerializer(r)));
    for (Map.Entry<Class<?>, Integer> e : KryoRegistrations.table().entrySet()) {
      kryo.register(e.getKey(), e.getValue());
    }
    return kryo;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object message) {
    Kryo kryo = pool.obtain();
    Output output = outputs.obtain();
    try {
      output.reset();
      kryo.writeClassAndObject(output, message);
      return output.toBytes();
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot serialize " + message.getClass().getName() + ": " + e.getMessage(), e);
    } finally {
      outputs.free(output);
      pool.free(kryo);
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = pool.obtain();
    try {
      return kryo.readClassAndObject(new Input(bytes));
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot deserialize a message of " + bytes.length + " bytes: " + e.getMessage(), e);
    } finally {
      pool.free(kryo);
    }
  }
}
