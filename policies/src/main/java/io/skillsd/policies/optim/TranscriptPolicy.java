package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.TokenBatch;
import io.skillsd.policies.prompt.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The causal LM as the update step sees it: {@link PolicyForward} over whole dialogues
 * ({@link Transcript}s), with log-probs aligned to the transcript's tokens (position 0 is 0), and the
 * model's live weights as DJL parameters for the optimizer.
 */
public final class TranscriptPolicy implements PolicyForward<Transcript> {

  private final CausalLm model;

  public TranscriptPolicy(CausalLm model) {
    this.model = model;
  }

  /** log π_θ of every position of a right-padded minibatch: [B, maxLength], differentiable. */
  @Override
  public PolicyOutput forward(NDManager manager, List<Transcript> inputs, int maxLength) {
    NDArray logp = model.tokenLogProbs(ids(manager, inputs, maxLength), 1f); // [B, T]
    return new PolicyOutput(logp, Optional.empty());
  }

  @Override
  public long activationBytes(int length) {
    return model.trainingBytesPerRow(length);
  }

  /**
   * The maintenance term as a KL to a frozen model: (1/N) Σ_t mask_t · KL(π_0(·|y_&lt;t) ‖ π_θ(·|y_&lt;t)) over
   * the full vocabulary at every covered position, π_θ this policy's model (differentiable) and π_0
   * {@code anchor} (no gradient). The replayed tokens only set the contexts; the target at each is the
   * anchor's whole distribution, not the token that was sampled.
   */
  public MaintenanceTerm<Transcript> klTo(CausalLm anchor) {
    return (manager, rows, maxLength, mask) -> {
      NDArray ids = ids(manager, rows, maxLength);
      NDIndex predicting = new NDIndex(":, :-1"); // logits at t−1 predict token t
      NDArray logpStudent = model.logits(ids).get(predicting).logSoftmax(-1); // [B, T−1, V]
      NDArray logpAnchor = anchor.logits(ids).get(predicting).logSoftmax(-1).stopGradient();
      NDArray kl = logpAnchor.exp().mul(logpAnchor.sub(logpStudent)).sum(new int[] {-1}); // [B, T−1]
      NDArray m = mask.get(new NDIndex(":, 1:"));
      return kl.mul(m).sum().div(m.sum().maximum(1f));
    };
  }

  private static NDArray ids(NDManager manager, List<Transcript> inputs, int maxLength) {
    List<int[]> sequences = new ArrayList<>(inputs.size());
    for (Transcript t : inputs) {
      sequences.add(Arrays.copyOf(t.tokens(), maxLength));
    }
    return TokenBatch.unmasked(sequences).ids(manager);
  }

  /** The model's weights wrapped as DJL parameters (the same arrays, no copies). */
  public ParameterList parameters() {
    Map<String, Parameter> list = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      Parameter p = Parameter.builder().setName(e.getKey()).setType(Parameter.Type.WEIGHT).build();
      p.setArray(e.getValue());
      list.put(e.getKey(), p);
    }
    return new ParameterList(list);
  }

  /** An update step that trains {@code model} on transcripts. */
  public static UpdateStep<Transcript> updateStep(CausalLm model, io.skillsd.policies.objectives.ObjectiveSettings objective,
      UpdateSettings settings) {
    return updateStep(model, objective, settings, Optional.empty());
  }

  /**
   * An update step that trains {@code model} on transcripts; with an {@code anchor}, its maintenance term
   * is the KL to that frozen model ({@link #klTo}) instead of the negative log-likelihood.
   */
  public static UpdateStep<Transcript> updateStep(CausalLm model, io.skillsd.policies.objectives.ObjectiveSettings objective,
      UpdateSettings settings, Optional<CausalLm> anchor) {
    TranscriptPolicy policy = new TranscriptPolicy(model);
    model.setTrainable(true);
    UpdateStep<Transcript> step =
        new UpdateStep<>(model.manager(), policy.parameters(), policy, Optional.empty(), objective, settings);
    anchor.ifPresent(a -> step.withMaintenanceTerm(policy.klTo(a)));
    return step;
  }
}
