package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
    List<int[]> sequences = new ArrayList<>(inputs.size());
    for (Transcript t : inputs) {
      sequences.add(Arrays.copyOf(t.tokens(), maxLength));
    }
    NDArray logp = model.tokenLogProbs(TokenBatch.unmasked(sequences).ids(manager), 1f); // [B, T]
    return new PolicyOutput(logp, Optional.empty());
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
    TranscriptPolicy policy = new TranscriptPolicy(model);
    model.setTrainable(true);
    return new UpdateStep<>(model.manager(), policy.parameters(), policy, Optional.empty(), objective, settings);
  }
}
