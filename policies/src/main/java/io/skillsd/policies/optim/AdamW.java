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

  /**
   * The optimizer's state as host tensors, for checkpoints: {@code m.<name>} and {@code v.<name>} per
   * parameter that has taken a step. The step count is {@link #steps()}.
   */
  public java.util.Map<String, io.skillsd.policies.checkpoint.HostTensor> state() {
    java.util.Map<String, io.skillsd.policies.checkpoint.HostTensor> out = new java.util.TreeMap<>();
    m.forEach((k, a) -> out.put("m." + k, new io.skillsd.policies.checkpoint.HostTensor(a.getShape().getShape(), a.toFloatArray())));
    v.forEach((k, a) -> out.put("v." + k, new io.skillsd.policies.checkpoint.HostTensor(a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  /**
   * Restores what {@link #state()} returned and the step count, so the next step is the one the saved
   * optimizer would have taken.
   *
   * @throws IllegalArgumentException for a tensor name that is neither {@code m.*} nor {@code v.*}
   */
  public void restore(java.util.Map<String, io.skillsd.policies.checkpoint.HostTensor> state, long steps, ai.djl.Device device) {
    m.values().forEach(NDArray::close);
    v.values().forEach(NDArray::close);
    m.clear();
    v.clear();
    for (java.util.Map.Entry<String, io.skillsd.policies.checkpoint.HostTensor> e : state.entrySet()) {
      String key = e.getKey();
      io.skillsd.policies.checkpoint.HostTensor h = e.getValue();
      NDArray a = moments.create(h.data(), new ai.djl.ndarray.types.Shape(h.shape())).toDevice(device, false);
      if (key.startsWith("m.")) {
        m.put(key.substring(2), a);
      } else if (key.startsWith("v.")) {
        v.put(key.substring(2), a);
      } else {
        throw new IllegalArgumentException("optimizer state has an unknown tensor '" + key + "'");
      }
    }
    t = steps;
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
