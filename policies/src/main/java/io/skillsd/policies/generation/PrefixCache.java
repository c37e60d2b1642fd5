package io.skillsd.policies.generation;

import io.skillsd.policies.model.KvCache;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shared prompt prefixes, computed once: the keys and values of a prefix that many prompts begin with (the system
 * instructions every episode of an environment opens with, a group's task), given as the prior of every row that
 * starts without a cache of its own, so a first turn computes only what follows the prefix.
 *
 * <p>A prefix is found, not declared: what a fresh prompt has in common with the other fresh prompts of its batch
 * and the last few fresh prompts seen that share at least {@code minLength} tokens with it.
 * Its state is computed alone ({@link Generator#prefill}), so it does not depend on which batch found it. States
 * belong to one set of weights: {@link #clear} them when the weights change. Not thread-safe; one owner.
 */
public final class PrefixCache implements AutoCloseable {

  private static final int RECENT = 8;

  private final int minLength;
  private final int capacity;
  /** Prefix tokens (as a key) to their state, least recently used first. */
  private final LinkedHashMap<Key, KvCache.RowState> states = new LinkedHashMap<>(16, 0.75f, true);
  private final Deque<int[]> recent = new ArrayDeque<>();
  private long hits;
  private long computed;

  /**
   * @param minLength the shortest prefix worth a state of its own
   * @param capacity the most prefix states kept (the least recently used is closed first)
   */
  public PrefixCache(int minLength, int capacity) {
    if (minLength < 1 || capacity < 1) {
      throw new IllegalArgumentException("minLength and capacity must be >= 1, were " + minLength + ", " + capacity);
    }
    this.minLength = minLength;
    this.capacity = capacity;
  }

  /**
   * The priors to generate {@code requests} with: a row's own prior where it covers a strict prefix of its
   * prompt, else the longest cached prefix state that does (computing a new shared prefix with {@code generator}
   * when one is found), else none. The returned states stay owned by their owners (the caller, or this cache)
   * and are valid until the next call.
   */
  public List<Optional<KvCache.RowState>> priors(Generator generator, List<GenerationRequest> requests,
      List<Optional<KvCache.RowState>> prior) {
    int n = requests.size();
    List<int[]> prompts = new ArrayList<>(n); // prompt() copies: take each once
    List<Optional<KvCache.RowState>> own = new ArrayList<>(n);
    List<int[]> fresh = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] prompt = requests.get(i).prompt();
      Optional<KvCache.RowState> p = prior.get(i).filter(s -> s.isStrictPrefixOf(prompt));
      prompts.add(prompt);
      own.add(p);
      if (p.isEmpty()) {
        fresh.add(prompt);
      }
    }
    for (int[] prompt : fresh) {
      if (best(prompt).isEmpty()) {
        int length = sharedPrefix(prompt, fresh);
        if (length >= minLength) {
          store(generator, java.util.Arrays.copyOf(prompt, length));
        }
      }
    }
    List<Optional<KvCache.RowState>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (own.get(i).isPresent()) {
        out.add(own.get(i));
      } else {
        Optional<KvCache.RowState> shared = best(prompts.get(i));
        hits += shared.isPresent() ? 1 : 0;
        out.add(shared);
      }
    }
    for (int[] prompt : fresh) {
      recent.addFirst(prompt);
      if (recent.size() > RECENT) {
        recent.removeLast();
      }
    }
    return out;
  }

  /** Rows that started from a shared prefix so far. */
  public long hits() {
    return hits;
  }

  /** Prefix states computed so far. */
  public long computed() {
    return computed;
  }

  /** Prefix states held now. */
  public int size() {
    return states.size();
  }

  /** Closes every state (the weights changed, or the owner is done); what was seen is forgotten too. */
  public void clear() {
    states.values().forEach(KvCache.RowState::close);
    states.clear();
    recent.clear();
  }

  @Override
  public void close() {
    clear();
  }

  /** The longest held state that covers a strict prefix of {@code prompt}. */
  private Optional<KvCache.RowState> best(int[] prompt) {
    KvCache.RowState best = null;
    Key bestKey = null;
    for (Map.Entry<Key, KvCache.RowState> e : states.entrySet()) {
      KvCache.RowState s = e.getValue();
      if (s.isStrictPrefixOf(prompt) && (best == null || s.length() > best.length())) {
        best = s;
        bestKey = e.getKey();
      }
    }
    if (bestKey != null) {
      states.get(bestKey); // marks it recently used
    }
    return Optional.ofNullable(best);
  }

  /**
   * The prefix {@code prompt} shares with every other fresh or recent prompt that shares at least {@code minLength}
   * tokens with it (the shortest of those common prefixes: what a family of prompts has in common, such as an
   * environment's instructions, rather than what two of them happen to share beyond it), kept strict; 0 when no
   * other prompt shares that much.
   */
  private int sharedPrefix(int[] prompt, List<int[]> fresh) {
    int shared = Integer.MAX_VALUE;
    for (Iterable<int[]> others : List.<Iterable<int[]>>of(fresh, recent)) {
      for (int[] other : others) {
        if (other != prompt) {
          int c = Math.min(common(prompt, other), Math.min(prompt.length, other.length) - 1);
          if (c >= minLength) {
            shared = Math.min(shared, c);
          }
        }
      }
    }
    return shared == Integer.MAX_VALUE ? 0 : shared;
  }

  private static int common(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    int i = 0;
    while (i < n && a[i] == b[i]) {
      i++;
    }
    return i;
  }

  private void store(Generator generator, int[] prefix) {
    Key key = new Key(prefix);
    if (states.containsKey(key)) {
      return;
    }
    states.put(key, generator.prefill(prefix));
    computed++;
    if (states.size() > capacity) {
      Iterator<Map.Entry<Key, KvCache.RowState>> eldest = states.entrySet().iterator();
      eldest.next().getValue().close();
      eldest.remove();
    }
  }

  private record Key(int[] tokens) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && java.util.Arrays.equals(tokens, k.tokens);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(tokens);
    }
  }
}
