package io.skillsd.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kryo serializers for the JDK's {@code Collections.unmodifiableMap} / {@code unmodifiableList} views, which
 * environments may put into a step's info map: written as their entries, read back as an unmodifiable view
 * of a {@link LinkedHashMap} / {@link ArrayList} (same order, same equality).
 */
final class UnmodifiableCollectionSerializers {

  /** The runtime class of {@code Collections.unmodifiableMap(...)}. */
  static final Class<?> MAP_CLASS = Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();
  /** The runtime class of {@code Collections.unmodifiableList(...)} over a random-access list. */
  static final Class<?> LIST_CLASS = Collections.unmodifiableList(new ArrayList<>()).getClass();

  private UnmodifiableCollectionSerializers() {}

  static void addDefaultSerializers(Kryo kryo) {
    kryo.addDefaultSerializer(MAP_CLASS, new MapView());
    kryo.addDefaultSerializer(LIST_CLASS, new ListView());
  }

  private static final class MapView extends Serializer<Map<Object, Object>> {
    MapView() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      kryo.writeObject(output, new LinkedHashMap<>(map));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      return Collections.unmodifiableMap(kryo.readObject(input, LinkedHashMap.class));
    }
  }

  private static final class ListView extends Serializer<List<Object>> {
    ListView() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, List<Object> list) {
      kryo.writeObject(output, new ArrayList<>(list));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
      return Collections.unmodifiableList(kryo.readObject(input, ArrayList.class));
    }
  }
}
