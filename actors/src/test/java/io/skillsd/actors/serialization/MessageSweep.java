package io.skillsd.actors.serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Finds every {@link ClusterMessage} type in a class-path root (scanning the compiled classes and walking
 * sealed hierarchies through their permitted subclasses) and builds a sample instance of each record.
 */
final class MessageSweep {

  private MessageSweep() {}

  /** The class-path root (a folder of compiled classes) that holds {@code type}. */
  static Path rootOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every concrete {@link ClusterMessage} class under {@code root}, plus everything its sealed parents permit. */
  static Set<Class<?>> messageTypes(Path root) {
    Set<Class<?>> found = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.endsWith("module-info") || name.endsWith("package-info")) {
          continue;
        }
        Class<?> c;
        try {
          c = Class.forName(name, false, MessageSweep.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        if (ClusterMessage.class.isAssignableFrom(c) && c != ClusterMessage.class) {
          collect(c, found);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private static void collect(Class<?> c, Set<Class<?>> out) {
    if (c.isSealed()) {
      for (Class<?> sub : c.getPermittedSubclasses()) {
        collect(sub, out);
      }
    }
    if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
      out.add(c);
    }
  }

  /**
   * A sample instance of record {@code type}, with every component filled with a non-default value;
   * {@code actorRef} supplies actor references.
   */
  static Object sample(Class<?> type, Supplier<Object> actorRef) {
    java.util.function.Function<Supplier<Object>, Object> fixture = FIXTURES.get(type);
    if (fixture != null) {
      return fixture.apply(actorRef);
    }
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record; messages must be records");
    }
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = value(components[i].getType(), components[i].getGenericType(), actorRef);
    }
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build a sample " + type.getName() + ": " + e, e);
    }
  }

  /**
   * Samples of records whose components depend on each other (a generic sample would break their
   * invariants) or hold values typed {@code Object}.
   */
  private static final Map<Class<?>, java.util.function.Function<Supplier<Object>, Object>> FIXTURES = Map.of(
      io.skillsd.environments.StepResult.class, refs -> new io.skillsd.environments.StepResult("obs", 0.5, true,
          Map.of("success", true, "actionValid", true, "actionEffective", false, "moves", List.of("up", "left"),
              "turn", 2, "nested", Map.of("check", true))),
      io.skillsd.actors.rollout.Episode.class, refs -> new io.skillsd.actors.rollout.Episode("it0002-t01-g03-r1",
          new io.skillsd.environments.Task("level-7", io.skillsd.environments.Split.TRAIN, 99L, 2), 2, 1, 3, 1, false,
          0.7f, 1234L, Optional.of("skill text"), false),
      io.skillsd.policies.prompt.Transcript.class, refs -> new io.skillsd.policies.prompt.Transcript(
          new int[] {4, 5, 6}, new boolean[] {false, true, true}, 1),
      io.skillsd.actors.rollout.EpisodeResult.class, refs -> new io.skillsd.actors.rollout.EpisodeResult(
          (io.skillsd.actors.rollout.Episode) sample(io.skillsd.actors.rollout.Episode.class, () -> null),
          (io.skillsd.environments.Trajectory) sample(io.skillsd.environments.Trajectory.class, () -> null),
          (io.skillsd.policies.prompt.Transcript) sample(io.skillsd.policies.prompt.Transcript.class, () -> null),
          new float[] {0f, -0.5f, -1.25f}, 3, 10, 20, "127.0.0.1:2552", true),
      io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsChunk.class, refs ->
          new io.skillsd.actors.cluster.RolloutWorkerProtocol.WeightsChunk(4, 1, 3, "model.norm.weight", new long[] {2, 3},
              6, new float[] {0.5f, -2f, 3.25f}, (akka.actor.typed.ActorRef<io.skillsd.actors.cluster.RolloutWorkerProtocol.Reply>) refs.get()));

  /**
   * Structural equality: records component by component, arrays element by element (records holding
   * arrays compare them by identity in their own {@code equals}).
   */
  static boolean deepEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.getClass() != b.getClass()) {
      return java.util.Objects.equals(a, b);
    }
    if (a.getClass().isArray()) {
      return java.util.Objects.deepEquals(a, b);
    }
    if (a.getClass().isRecord()) {
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          if (!deepEquals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
            return false;
          }
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Optional<?> x && b instanceof Optional<?> y) {
      return x.isPresent() == y.isPresent() && (x.isEmpty() || deepEquals(x.get(), y.get()));
    }
    return a.equals(b);
  }

  private static Object value(Class<?> t, Type generic, Supplier<Object> actorRef) {
    if (FIXTURES.containsKey(t)) {
      return FIXTURES.get(t).apply(actorRef);
    }
    if (t == String.class) return "sample";
    if (t == int.class || t == Integer.class) return 7;
    if (t == long.class || t == Long.class) return 11L;
    if (t == double.class || t == Double.class) return 0.25;
    if (t == float.class || t == Float.class) return 0.5f;
    if (t == boolean.class || t == Boolean.class) return true;
    if (t == short.class || t == Short.class) return (short) 3;
    if (t == byte.class || t == Byte.class) return (byte) 5;
    if (t.isArray()) {
      Object a = Array.newInstance(t.getComponentType(), 2);
      for (int i = 0; i < 2; i++) {
        Array.set(a, i, value(t.getComponentType(), t.getComponentType(), actorRef));
      }
      return a;
    }
    if (t.isEnum()) return t.getEnumConstants()[t.getEnumConstants().length - 1];
    if (akka.actor.typed.ActorRef.class.isAssignableFrom(t)) return actorRef.get();
    if (t == List.class) return List.of(value(arg(generic, 0), arg(generic, 0), actorRef));
    if (t == Set.class) return Set.of(value(arg(generic, 0), arg(generic, 0), actorRef));
    if (t == Map.class) return Map.of(value(arg(generic, 0), arg(generic, 0), actorRef), value(arg(generic, 1), arg(generic, 1), actorRef));
    if (t == Optional.class) return Optional.of(value(arg(generic, 0), arg(generic, 0), actorRef));
    if (t.isRecord()) return sample(t, actorRef);
    if (t.isSealed()) {
      List<Class<?>> subs = new ArrayList<>(List.of(t.getPermittedSubclasses()));
      return value(subs.get(0), subs.get(0), actorRef);
    }
    throw new IllegalArgumentException("no sample for component type " + t.getName()
        + "; message components must be records, Strings, numbers, enums, primitive arrays, List/Set/Map/Optional or ActorRef");
  }

  private static Class<?> arg(Type generic, int index) {
    if (generic instanceof ParameterizedType p) {
      Type a = p.getActualTypeArguments()[index];
      if (a instanceof Class<?> c) return c;
      if (a instanceof ParameterizedType pp) return (Class<?>) pp.getRawType();
    }
    return String.class;
  }
}
