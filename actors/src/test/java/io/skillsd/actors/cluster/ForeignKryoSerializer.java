package io.skillsd.actors.cluster;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.JSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.skillsd.actors.serialization.KryoSerializer;
import java.util.Optional;

/**
 * The serializer of a node whose id table has one class more than everyone else's: it writes
 * {@link UnregisteredClassTest.Foreign} under id {@link #FOREIGN_ID}, which no real node knows.
 */
public final class ForeignKryoSerializer extends JSerializer {

  static final int FOREIGN_ID = 5_000;

  private final Kryo kryo;
  private final KryoSerializer reader;

  public ForeignKryoSerializer(ExtendedActorSystem system) {
    this.kryo = KryoSerializer.newKryo(Optional.of(ActorRefResolver.get(Adapter.toTyped(system))));
    this.kryo.register(UnregisteredClassTest.Foreign.class, FOREIGN_ID);
    this.reader = new KryoSerializer(system);
  }

  @Override
  public int identifier() {
    return KryoSerializer.IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public synchronized byte[] toBinary(Object message) {
    Output output = new Output(4096, -1);
    kryo.writeClassAndObject(output, message);
    return output.toBytes();
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    return reader.fromBinaryJava(bytes, manifest);
  }
}
