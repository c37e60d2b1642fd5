package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW} computes it:
 *
 * <pre>
 *   θ ← θ · (1 − η·wd)
 *   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (η / (1 − β1^t)) · m / ( sqrt(v) / sqrt(1 − β2^t) + ε )
 * </pre>
 *
 * <p>Source: Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization" (ICLR 2019); Kingma &amp; Ba,
 * "Adam" (2015). The learning rate η is given per step, so any schedule applies; t counts applied steps
 * only (a skipped step does not advance it). The moments live in a sub-manager of the one given, one pair
 * per parameter name, and are freed by {@link #close()}. Call {@link #step} outside a
 * {@code GradientCollector}: it writes the parameters in place.
 */
public final class AdamW implements AutoCloseable {

  /**
   * @param beta1 β1 ∈ [0, 1), default 0.9
   * @param beta2 β2 ∈ [0, 1), default 0.999
   * @param epsilon ε &gt; 0, default 1e-8
   * @param weightDecay wd ≥ 0, default 0.01
   */
  public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {
    public Settings {
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("betas must be in [0, 1), were " + beta1 + ", " + beta2);
      }
      if (!(epsilon > 0)) {
        throw new IllegalArgumentException("epsilon must be > 0, was " + epsilon);
      }
      if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
        throw new IllegalArgumentException("weightDecay must be a finite number >= 0, was " + weightDecay);
      }
    }

    /** β = (0.9, 0.999), ε = 1e-8, wd = 0.01 (PyTorch's defaults). */
    public static Settings defaults() {
      return new Settings(0.9, 0.999, 1e-8, 0.01);
    }
  }

  /**
   * The optimizer's state as plain values, for checkpoints: the step count t and each parameter's
   * moments, flattened in the parameter's own element order.
   */
  public record Snapshot(long steps, Map<String, float[]> m, Map<String, float[]> v) {
    public Snapshot {
      if (steps < 0) {
        throw new IllegalArgumentException("steps must be >= 0, was " + steps);
      }
      if (!m.keySet().equals(v.keySet())) {
        throw new IllegalArgumentException("first and second moments name different parameters");
      }
      m = copy(m);
      v = copy(v);
    }

    private static Map<String, float[]> copy(Map<String, float[]> x) {
      Map<String, float[]> c = new HashMap<>();
      x.forEach((k, a) -> c.put(k, a.clone()));
      return Map.copyOf(c);
    }
  }

  private final Settings settings;
  private final NDManager moments;
  private final Map<String, NDArray> m = new HashMap<>();
  private final Map<String, NDArray> v = new HashMap<>();
  private long t;

  public AdamW(NDManager manager, Settings settings) {
    this.settings = settings;
    this.moments = manager.newSubManager();
  }

  /** Number of steps applied so far. */
  public long steps() {
    return t;
  }

  /**
   * One step on every parameter that requires a gradient, with the gradients currently attached to them.
   *
   * @param parameters the model's parameters ({@code block.getParameters()})
   * @param eta the learning rate of this step
   */
  public void step(ParameterList parameters, double eta) {
    if (!(eta >= 0) || Double.isInfinite(eta)) {
      throw new IllegalArgumentException("learning rate must be a finite number >= 0, was " + eta);
    }
    t++;
    double b1 = settings.beta1();
    double b2 = settings.beta2();
    double bc1 = 1 - Math.pow(b1, t);
    double bc2 = 1 - Math.pow(b2, t);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Pair<String, Parameter> p : parameters) {
        Parameter parameter = p.getValue();
        if (!parameter.requiresGradient()) {
          continue;
        }
        NDArray theta = parameter.getArray();
        NDArray g = theta.getGradient();
        NDArray mt = m.computeIfAbsent(p.getKey(), k -> moment(theta));
        NDArray vt = v.computeIfAbsent(p.getKey(), k -> moment(theta));
        mt.muli((float) b1).addi(g.mul((float) (1 - b1)));
        vt.muli((float) b2).addi(g.square().muli((float) (1 - b2)));
        if (settings.weightDecay() > 0) {
          theta.muli((float) (1 - eta * settings.weightDecay()));
        }
        NDArray denom = vt.sqrt().divi((float) Math.sqrt(bc2)).addi((float) settings.epsilon());
        theta.subi(mt.div(denom).muli((float) (eta / bc1)));
      }
    }
  }

  /** The current state, copied out of native memory. */
  public Snapshot snapshot() {
    Map<String, float[]> ms = new HashMap<>();
    Map<String, float[]> vs = new HashMap<>();
    m.forEach((k, a) -> ms.put(k, a.toFloatArray()));
    v.forEach((k, a) -> vs.put(k, a.toFloatArray()));
    return new Snapshot(t, ms, vs);
  }

  /**
   * Replaces the state with {@code snapshot}; every moment must match a parameter of {@code parameters}
   * by name and element count.
   */
  public void restore(Snapshot snapshot, ParameterList parameters) {
    Map<String, Parameter> byName = parameters.toMap();
    for (Map.Entry<String, float[]> e : snapshot.m().entrySet()) {
      Parameter p = byName.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException("optimizer state names unknown parameter " + e.getKey());
      }
      long size = p.getArray().getShape().size();
      if (e.getValue().length != size || snapshot.v().get(e.getKey()).length != size) {
        throw new IllegalArgumentException(
            "optimizer state for " + e.getKey() + " has " + e.getValue().length + " elements, the"
                + " parameter " + size);
      }
    }
    m.values().forEach(NDArray::close);
    v.values().forEach(NDArray::close);
    m.clear();
    v.clear();
    for (String name : snapshot.m().keySet()) {
      NDArray theta = byName.get(name).getArray();
      m.put(name, restored(theta, snapshot.m().get(name)));
      v.put(name, restored(theta, snapshot.v().get(name)));
    }
    t = snapshot.steps();
  }

  /**
   * The state as host tensors for a checkpoint file: {@code m.<name>} and {@code v.<name>} per parameter
   * that has taken a step. The step count is {@link #steps()}.
   */
  public Map<String, io.skillsd.policies.checkpoint.HostTensor> state() {
    Map<String, io.skillsd.policies.checkpoint.HostTensor> out = new java.util.TreeMap<>();
    m.forEach((k, a) -> out.put("m." + k, new io.skillsd.policies.checkpoint.HostTensor(a.getShape().getShape(), a.toFloatArray())));
    v.forEach((k, a) -> out.put("v." + k, new io.skillsd.policies.checkpoint.HostTensor(a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  /** The snapshot a checkpoint file written from {@link #state()} holds, with its step count. */
  public static Snapshot fromState(Map<String, io.skillsd.policies.checkpoint.HostTensor> state, long steps) {
    Map<String, float[]> ms = new HashMap<>();
    Map<String, float[]> vs = new HashMap<>();
    for (Map.Entry<String, io.skillsd.policies.checkpoint.HostTensor> e : state.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("m.")) {
        ms.put(key.substring(2), e.getValue().data());
      } else if (key.startsWith("v.")) {
        vs.put(key.substring(2), e.getValue().data());
      } else {
        throw new IllegalArgumentException("optimizer state has an unknown tensor '" + key + "'");
      }
    }
    if (!ms.keySet().equals(vs.keySet())) {
      throw new IllegalArgumentException("optimizer state has first and second moments for different parameters");
    }
    return new Snapshot(steps, ms, vs);
  }

  private NDArray restored(NDArray theta, float[] values) {
    NDArray a = moment(theta);
    a.set(values);
    return a;
  }

  private NDArray moment(NDArray theta) {
    NDArray z = moments.zeros(theta.getShape(), theta.getDataType(), theta.getDevice());
    NDScope.unregister(z); // state outlives the step's scope
    return z;
  }

  @Override
  public void close() {
    moments.close();
  }
}
