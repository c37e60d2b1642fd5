package io.skillsd.policies.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Token sequences of different lengths, right-padded into one [B, T] batch, with a per-token loss mask.
 * Pairs with {@link CausalLm#tokenLogProbs}: {@code logp[b, t]} and {@code mask[b, t]} line up with token
 * {@code t} of row {@code b}; padding and each row's first token are always masked out.
 */
public final class TokenBatch {
  private final List<int[]> sequences;
  private final List<boolean[]> masks;
  private final int width;

  /**
   * @param sequences token ids per row, each non-empty
   * @param masks per row and token, whether the token counts in the loss (e.g. {@code Transcript.sampled()})
   */
  public TokenBatch(List<int[]> sequences, List<boolean[]> masks) {
    if (sequences.isEmpty() || sequences.size() != masks.size()) {
      throw new IllegalArgumentException("need one mask per sequence and at least one sequence");
    }
    List<int[]> s = new ArrayList<>();
    List<boolean[]> m = new ArrayList<>();
    int w = 0;
    for (int i = 0; i < sequences.size(); i++) {
      if (sequences.get(i).length == 0 || sequences.get(i).length != masks.get(i).length) {
        throw new IllegalArgumentException("row " + i + ": empty, or mask length differs from sequence length");
      }
      s.add(sequences.get(i).clone());
      m.add(masks.get(i).clone());
      w = Math.max(w, sequences.get(i).length);
    }
    this.sequences = List.copyOf(s);
    this.masks = List.copyOf(m);
    this.width = w;
  }

  /** A batch of transcripts whose loss mask selects the sampled tokens (what the policy produced). */
  public static TokenBatch ofTranscripts(List<io.skillsd.policies.prompt.Transcript> transcripts) {
    List<int[]> sequences = new ArrayList<>();
    List<boolean[]> masks = new ArrayList<>();
    for (io.skillsd.policies.prompt.Transcript t : transcripts) {
      sequences.add(t.tokens());
      masks.add(t.sampled());
    }
    return new TokenBatch(sequences, masks);
  }

  /** A batch whose mask selects every token but the first of each row. */
  public static TokenBatch unmasked(List<int[]> sequences) {
    List<boolean[]> masks = new ArrayList<>();
    for (int[] s : sequences) {
      boolean[] m = new boolean[s.length];
      java.util.Arrays.fill(m, true);
      masks.add(m);
    }
    return new TokenBatch(sequences, masks);
  }

  public int rows() {
    return sequences.size();
  }

  /** T, the longest row. */
  public int width() {
    return width;
  }

  public int length(int row) {
    return sequences.get(row).length;
  }

  /** ids [B, T] int64, padded with 0. */
  public NDArray ids(NDManager manager) {
    long[] ids = new long[rows() * width];
    for (int b = 0; b < rows(); b++) {
      int[] s = sequences.get(b);
      for (int t = 0; t < s.length; t++) {
        ids[b * width + t] = s[t];
      }
    }
    return manager.create(ids, new Shape(rows(), width));
  }

  /** mask [B, T] float32: 1 where a token counts, 0 for padding, first tokens and unmasked tokens. */
  public NDArray mask(NDManager manager) {
    float[] mask = new float[rows() * width];
    for (int b = 0; b < rows(); b++) {
      boolean[] m = masks.get(b);
      for (int t = 1; t < m.length; t++) {
        mask[b * width + t] = m[t] ? 1f : 0f;
      }
    }
    return manager.create(mask, new Shape(rows(), width));
  }

  /** Number of tokens the mask selects. */
  public int maskedTokens() {
    int n = 0;
    for (boolean[] m : masks) {
      for (int t = 1; t < m.length; t++) {
        n += m[t] ? 1 : 0;
      }
    }
    return n;
  }
}
