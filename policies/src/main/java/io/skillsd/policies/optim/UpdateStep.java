package io.skillsd.policies.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.skillsd.policies.compute.Scalars;
import io.skillsd.policies.objectives.Objective;
import io.skillsd.policies.objectives.ObjectiveSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The learner's update: epochs of shuffled minibatches over a batch of scored trajectories, one AdamW step
 * per minibatch, with global-norm clipping, a warm-up schedule and a guard against non-finite steps.
 *
 * <p>Per step: the minibatch's tensors are built in a sub-manager inside an {@code NDScope} (results of
 * operations on the model's parameters belong to the parameters' manager, so only the scope frees them);
 * the teacher's vocabulary log-probs, when needed, are computed before the gradient collector opens; the
 * policy's forward, the loss and {@code backward} run inside it; the gradient is clipped; then, outside
 * the scope, the guard admits or skips the step and AdamW writes the parameters. Gradients are zeroed
 * after every step, applied or skipped (PyTorch accumulates them otherwise).
 *
 * <p>Not thread-safe: one learner owns it. Close it to free the optimizer's moments.
 *
 * @param <I> the model's per-sequence input
 */
public final class UpdateStep<I> implements AutoCloseable {

  private final NDManager manager;
  private final ParameterList parameters;
  private final PolicyForward<I> policy;
  private final Optional<TeacherForward<I>> teacher;
  private final Objective objective;
  private final UpdateSettings settings;
  private final AdamW optimizer;
  private final NonFiniteGuard guard;
  private MaintenanceTerm<I> maintenanceTerm;
  private long updates;
  private long attempted;
  private long splitSteps;
  private int epoch;

  /**
   * @param manager the learner's manager (the optimizer's moments and each step's sub-manager hang off it)
   * @param parameters the student's parameters, arrays initialized and with gradients attached
   * @param policy recomputes log π_θ (and logits when needed) for a minibatch
   * @param teacher the teacher's vocabulary log-probs; required for full-vocabulary or top-k distillation
   */
  public UpdateStep(
      NDManager manager,
      ParameterList parameters,
      PolicyForward<I> policy,
      Optional<TeacherForward<I>> teacher,
      ObjectiveSettings objective,
      UpdateSettings settings) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.teacher = Objects.requireNonNull(teacher, "teacher");
    this.objective = new Objective(objective);
    this.settings = Objects.requireNonNull(settings, "settings");
    if (objective.distillation().needsVocabulary()
        && objective.distillationWeight() > 0
        && teacher.isEmpty()) {
      throw new IllegalArgumentException(
          "distillation " + objective.distillation() + " needs a TeacherForward for the vocabulary");
    }
    this.optimizer = new AdamW(manager, settings.adamW());
    this.guard = new NonFiniteGuard(settings.maxConsecutiveNonFinite());
    this.maintenanceTerm = MaintenanceTerm.nll(policy);
  }

  /**
   * Replaces the maintenance term's loss (by default {@link MaintenanceTerm#nll}, the negative
   * log-likelihood of the replayed tokens under θ).
   *
   * @return this
   */
  public UpdateStep<I> withMaintenanceTerm(MaintenanceTerm<I> term) {
    this.maintenanceTerm = Objects.requireNonNull(term, "term");
    return this;
  }

  /**
   * Epochs × minibatches over {@code batch}; returns one diagnostics record per attempted step.
   *
   * @throws NonFiniteUpdateException when too many steps in a row were non-finite
   */
  public List<StepDiagnostics> update(List<ScoredSequence<I>> batch) {
    return update(batch, List.of(), 0);
  }

  /**
   * Epochs × minibatches over {@code batch}, each step's loss plus a maintenance term:
   * {@code weight} times the {@link MaintenanceTerm} (by default the mean negative log-likelihood under θ)
   * over the masked tokens of the {@code maintenance} sequences (only their input and mask are used). Each epoch spreads the maintenance
   * sequences over that epoch's minibatches round robin, after a shuffle of their own, so the number of
   * steps and the minibatches of {@code batch} are those of {@link #update(List)}.
   *
   * @param weight μ ≥ 0; 0 (or no maintenance sequences) is {@link #update(List)}
   * @throws NonFiniteUpdateException when too many steps in a row were non-finite
   */
  public List<StepDiagnostics> update(
      List<ScoredSequence<I>> batch, List<ScoredSequence<I>> maintenance, double weight) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("an update needs at least one trajectory");
    }
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("maintenance weight must be a finite number >= 0, was " + weight);
    }
    List<StepDiagnostics> out = new ArrayList<>();
    List<ScoredSequence<I>> order = new ArrayList<>(batch);
    List<ScoredSequence<I>> replay = weight > 0 ? new ArrayList<>(maintenance) : new ArrayList<>();
    // seeded per update, so a run resumed from a snapshot shuffles as the original would have
    long seed = settings.shuffleSeed() ^ (0x9E3779B97F4A7C15L * ++updates);
    Random shuffle = new Random(seed);
    Random replayShuffle = new Random(~seed);
    int minibatches = (order.size() + settings.minibatchSize() - 1) / settings.minibatchSize();
    for (int e = 0; e < settings.epochs(); e++) {
      epoch = e;
      Collections.shuffle(order, shuffle);
      Collections.shuffle(replay, replayShuffle);
      for (int k = 0; k < minibatches; k++) {
        int from = k * settings.minibatchSize();
        int to = Math.min(order.size(), from + settings.minibatchSize());
        List<ScoredSequence<I>> share = new ArrayList<>();
        for (int i = k; i < replay.size(); i += minibatches) {
          share.add(replay.get(i));
        }
        out.add(step(order.subList(from, to), share, weight));
      }
    }
    return out;
  }

  /** One optimizer step on one minibatch. */
  public StepDiagnostics step(List<ScoredSequence<I>> minibatch) {
    return step(minibatch, List.of(), 0);
  }

  /** One optimizer step on one minibatch, with a maintenance term over {@code maintenance} (see {@link #update(List, List, double)}). */
  public StepDiagnostics step(
      List<ScoredSequence<I>> minibatch, List<ScoredSequence<I>> maintenance, double weight) {
    if (minibatch.isEmpty()) {
      throw new IllegalArgumentException("a minibatch needs at least one trajectory");
    }
    long stepIndex = attempted++;
    double eta = settings.learningRate().at(optimizer.steps());
    Computed c; // its scalars outlive the scope, its loss array does not
    double gradNorm = Double.NaN;
    try (NDManager mb = manager.newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      int T = minibatch.stream().mapToInt(ScoredSequence::length).max().orElseThrow();
      List<I> inputs = minibatch.stream().map(ScoredSequence::input).toList();
      Tensors x = Tensors.of(mb, minibatch, T);
      Optional<NDArray> logpTeacherVocab =
          needsTeacherVocabulary()
              ? Optional.of(teacher.orElseThrow().logProbs(mb, inputs, T).stopGradient())
              : Optional.empty();
      List<int[]> parts = microbatches(minibatch);
      List<int[]> replayParts = weight > 0 ? microbatches(maintenance) : List.of();
      if (parts.size() > 1 || replayParts.size() > 1) {
        splitSteps++;
        c = splitStep(mb, minibatch, T, parts, x, logpTeacherVocab, maintenance, replayParts, weight);
      } else {
        c = wholeStep(mb, minibatch, T, x, logpTeacherVocab, maintenance, weight);
      }
      if (Double.isFinite(c.loss())) {
        gradNorm = GlobalNormClipping.clip(parameters, settings.maxGradNorm());
      }
    }
    return finish(stepIndex, eta, c, gradNorm);
  }

  /** What a step computed: the objective's result and the losses, with the gradient accumulated in place. */
  private record Computed(Objective.Result result, double loss, double maintenanceLoss, long maintenanceTokens) {}

  /** The minibatch and its replays in one forward and backward pass. */
  private Computed wholeStep(NDManager mb, List<ScoredSequence<I>> minibatch, int T, Tensors x,
      Optional<NDArray> logpTeacherVocab, List<ScoredSequence<I>> maintenance, double weight) {
    double maintenanceLoss = 0;
    long maintenanceTokens = 0;
    try (GradientCollector gc = mb.getEngine().newGradientCollector()) {
      PolicyOutput out = policy.forward(mb, minibatch.stream().map(ScoredSequence::input).toList(), T);
      if (!out.logpNew().getShape().equals(new Shape(minibatch.size(), T))) {
        throw new IllegalStateException(
            "policy returned logpNew " + out.logpNew().getShape() + ", expected ["
                + minibatch.size() + ", " + T + "]");
      }
      Objective.Result r =
          objective.compute(
              new Objective.Inputs(
                  out.logpNew(), x.logpOld, Optional.of(x.logpTeacher), x.adv, x.mask,
                  x.skillMask, x.logpRef, out.logits(), logpTeacherVocab));
      NDArray total = r.loss();
      if (weight > 0 && !maintenance.isEmpty()) {
        NDArray term = maintenanceLoss(mb, maintenance);
        maintenanceLoss = term.getFloat();
        maintenanceTokens = maintenance.stream().mapToLong(UpdateStep::maskedTokens).sum();
        total = total.add(Scalars.times(term, (float) weight));
      }
      double loss = total.getFloat();
      if (Double.isFinite(loss)) {
        gc.backward(total);
      }
      return new Computed(r, loss, maintenanceLoss, maintenanceTokens);
    }
  }

  /** Admits or skips the step whose gradient is in place, applies it, and reports it. */
  private StepDiagnostics finish(long stepIndex, double eta, Computed c, double gradNorm) {
    Objective.Result r = c.result();
    double loss = c.loss();
    boolean admitted;
    try {
      admitted = guard.admit(stepIndex, loss, gradNorm);
    } finally {
      // a throwing guard still leaves clean gradients behind
      if (!(Double.isFinite(loss) && Double.isFinite(gradNorm))) {
        zeroGradients(true);
      }
    }
    if (admitted) {
      optimizer.step(parameters, eta); // outside the step's scope: the moments persist
      zeroGradients(false);
    }
    return new StepDiagnostics(
        stepIndex, epoch, !admitted, loss, r.grpoLoss(), r.distillationLoss(), r.refKl(),
        r.clipFraction(), r.meanRatio(), r.meanRho(), r.maxRho(), r.meanEll(), r.meanK3(),
        r.ellClipFraction(), r.vocabularyKl(), r.entropy(), gradNorm,
        admitted && gradNorm > settings.maxGradNorm(), r.tokens(), r.distilledTokens(),
        admitted ? eta : 0, c.maintenanceLoss(), c.maintenanceTokens());
  }

  /**
   * The minibatch's rows in consecutive groups whose forward and backward pass stays within
   * {@link UpdateSettings#microbatchBytes} by the policy's estimate (each group padded to its longest row);
   * one group when that is off or everything fits. A row over the budget on its own goes alone.
   *
   * @return [from, to) row ranges, in order
   */
  private List<int[]> microbatches(List<ScoredSequence<I>> rows) {
    long budget = settings.microbatchBytes();
    List<int[]> parts = new ArrayList<>();
    if (rows.isEmpty()) {
      return parts;
    }
    int from = 0;
    int longest = 0;
    for (int i = 0; i < rows.size(); i++) {
      int length = Math.max(longest, rows.get(i).length());
      long bytes = (i - from + 1) * policy.activationBytes(length);
      if (budget > 0 && i > from && bytes > budget) {
        parts.add(new int[] {from, i});
        from = i;
        length = rows.get(i).length();
      }
      longest = length;
    }
    parts.add(new int[] {from, rows.size()});
    return parts;
  }

  /**
   * The minibatch's loss and gradient in groups of rows, one forward and backward pass each. Every term of the
   * objective is a sum over the minibatch's loss tokens divided by their number N (GRPO's surrogate and its
   * reference KL, the distillation term), so a group's loss, which its own objective divides by the group's
   * n_g tokens, enters with the weight n_g / N, and the groups' gradients add up to the whole minibatch's. The
   * diagnostics are combined with the same weights (per-distilled-token ones by distilled tokens; the largest
   * ρ is the largest of the groups').
   */
  private Computed minibatchInGroups(NDManager mb, List<ScoredSequence<I>> minibatch, List<int[]> parts, Tensors x,
      Optional<NDArray> logpTeacherVocab) {
    double allTokens = Math.max(x.mask.sum().getFloat(), 1);
    List<Objective.Result> results = new ArrayList<>(parts.size());
    double loss = 0;
    for (int[] part : parts) {
      List<ScoredSequence<I>> group = minibatch.subList(part[0], part[1]);
      int t = group.stream().mapToInt(ScoredSequence::length).max().orElseThrow();
      NDIndex rows = new NDIndex(part[0] + ":" + part[1]);
      NDIndex cells = new NDIndex(part[0] + ":" + part[1] + ", :" + t);
      try (NDScope scope = new NDScope(); GradientCollector gc = mb.getEngine().newGradientCollector()) {
        scope.suppressNotUsedWarning();
        PolicyOutput out = policy.forward(mb, group.stream().map(ScoredSequence::input).toList(), t);
        if (out.logits().isPresent()) {
          throw new IllegalStateException("a minibatch split into micro-batches needs a policy that returns log "
              + "π_θ alone (this one returns logits too); set the micro-batch budget to 0 to keep minibatches whole");
        }
        Objective.Result r = objective.compute(new Objective.Inputs(out.logpNew(), x.logpOld.get(cells),
            Optional.of(x.logpTeacher.get(cells)), x.adv.get(rows), x.mask.get(cells), x.skillMask.get(rows),
            x.logpRef.map(a -> a.get(cells)), Optional.empty(), logpTeacherVocab.map(a -> a.get(cells))));
        double weight = Math.max(r.tokens(), 1) / allTokens;
        loss += weight * r.loss().getFloat();
        results.add(r);
        if (!Double.isFinite(loss)) {
          break; // the step is skipped: the gradients left behind are cleared
        }
        gc.backward(Scalars.times(r.loss(), (float) weight));
      }
    }
    return new Computed(combined(mb, results, allTokens, loss), loss, 0, 0);
  }

  /** The groups' diagnostics as the whole minibatch's: weighted by loss tokens, or by distilled tokens. */
  private static Objective.Result combined(NDManager mb, List<Objective.Result> results, double allTokens,
      double loss) {
    long distilled = results.stream().mapToLong(Objective.Result::distilledTokens).sum();
    double grpo = 0, distillation = 0, refKl = 0, clip = 0, ratio = 0;
    double rho = 0, maxRho = 0, ell = 0, k3 = 0, ellClip = 0;
    for (Objective.Result r : results) {
      double w = Math.max(r.tokens(), 1) / allTokens; // as the group's loss was weighted
      double v = Math.max(r.distilledTokens(), 1) / (double) Math.max(distilled, 1);
      grpo += w * r.grpoLoss();
      distillation += w * r.distillationLoss();
      refKl += w * r.refKl();
      clip += w * r.clipFraction();
      ratio += w * r.meanRatio();
      rho += v * r.meanRho();
      maxRho = Math.max(maxRho, r.maxRho());
      ell += v * r.meanEll();
      k3 += v * r.meanK3();
      ellClip += v * r.ellClipFraction();
    }
    return new Objective.Result(mb.create((float) loss), grpo, distillation, refKl, clip, ratio, rho, maxRho, ell,
        k3, ellClip, 0, java.util.OptionalDouble.empty(), results.stream().mapToLong(Objective.Result::tokens).sum(),
        distilled);
  }

  /**
   * One step whose minibatch or replays would not fit one forward and backward pass. The minibatch, when it
   * does not fit, goes as {@link #minibatchInGroups}; the maintenance term, a mean per covered token, goes
   * group by group, each weighted by its share of the tokens. The result equals the unsplit step's up to
   * float rounding.
   */
  private Computed splitStep(NDManager mb, List<ScoredSequence<I>> minibatch, int T, List<int[]> parts, Tensors x,
      Optional<NDArray> logpTeacherVocab, List<ScoredSequence<I>> maintenance, List<int[]> replayParts,
      double weight) {
    Computed main = parts.size() == 1
        ? wholeStep(mb, minibatch, T, x, logpTeacherVocab, List.of(), 0)
        : minibatchInGroups(mb, minibatch, parts, x, logpTeacherVocab);
    Objective.Result r = main.result();
    double loss = main.loss();
    double maintenanceLoss = 0;
    long maintenanceTokens = 0;
    if (!Double.isFinite(loss)) {
      return new Computed(r, loss, maintenanceLoss, maintenanceTokens);
    }
    if (weight > 0 && !maintenance.isEmpty()) {
      maintenanceTokens = maintenance.stream().mapToLong(UpdateStep::maskedTokens).sum();
      for (int[] part : replayParts) {
        List<ScoredSequence<I>> group = maintenance.subList(part[0], part[1]);
        double tokenShare = maintenanceTokens == 0 ? 1.0 / replayParts.size()
            : group.stream().mapToLong(UpdateStep::maskedTokens).sum() / (double) maintenanceTokens;
        try (NDScope scope = new NDScope(); GradientCollector gc = mb.getEngine().newGradientCollector()) {
          scope.suppressNotUsedWarning();
          NDArray term = maintenanceLoss(mb, group);
          double value = term.getFloat();
          maintenanceLoss += tokenShare * value;
          loss += weight * tokenShare * value;
          if (Double.isFinite(value)) {
            gc.backward(Scalars.times(term, (float) (weight * tokenShare)));
          }
        }
      }
    }
    return new Computed(r, loss, maintenanceLoss, maintenanceTokens);
  }

  /** Steps so far whose minibatch or replays went through the model in micro-batches. */
  public long splitSteps() {
    return splitSteps;
  }

  /** The maintenance term over the step's replayed sequences: a differentiable scalar. */
  private NDArray maintenanceLoss(NDManager mb, List<ScoredSequence<I>> rows) {
    int T = rows.stream().mapToInt(ScoredSequence::length).max().orElseThrow();
    float[] mask = new float[rows.size() * T];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).mask(), 0, mask, i * T, rows.get(i).length());
    }
    NDArray m = mb.create(mask, new Shape(rows.size(), T));
    return maintenanceTerm.loss(mb, rows.stream().map(ScoredSequence::input).toList(), T, m);
  }

  private static long maskedTokens(ScoredSequence<?> s) {
    long n = 0;
    for (float v : s.mask()) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  private boolean needsTeacherVocabulary() {
    ObjectiveSettings s = objective.settings();
    return s.distillation().needsVocabulary() && s.distillationWeight() > 0;
  }

  /**
   * What a checkpoint needs to resume the update step exactly: the optimizer's state and the counters
   * that seed the shuffles and index the steps.
   *
   * @param optimizer AdamW's moments and step count
   * @param updates calls of {@link #update} so far
   * @param attemptedSteps steps attempted so far, applied or skipped
   */
  public record Snapshot(AdamW.Snapshot optimizer, long updates, long attemptedSteps) {
    public Snapshot {
      Objects.requireNonNull(optimizer, "optimizer");
      if (updates < 0 || attemptedSteps < 0) {
        throw new IllegalArgumentException("counters must be >= 0");
      }
    }
  }

  public Snapshot snapshot() {
    return new Snapshot(optimizer.snapshot(), updates, attempted);
  }

  /** Restores a {@link #snapshot()} taken from an update step over the same parameters. */
  public void restore(Snapshot snapshot) {
    optimizer.restore(snapshot.optimizer(), parameters);
    updates = snapshot.updates();
    attempted = snapshot.attemptedSteps();
  }

  /** Optimizer steps applied so far. */
  /** The optimizer, for saving and restoring its state. */
  public AdamW optimizer() {
    return optimizer;
  }

  public long appliedSteps() {
    return optimizer.steps();
  }

  /** Steps skipped by the non-finite guard so far. */
  public long skippedSteps() {
    return guard.skippedTotal();
  }

  private void zeroGradients(boolean mayHoldNonFinite) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Pair<String, Parameter> p : parameters) {
        if (p.getValue().requiresGradient()) {
          NDArray g = p.getValue().getArray().getGradient();
          g.muli(0f);
          if (mayHoldNonFinite) {
            g.set(g.isNaN(), 0f); // NaN·0 and ∞·0 are NaN
          }
        }
      }
    }
  }

  @Override
  public void close() {
    optimizer.close();
  }

  /** The minibatch's per-token numbers as [B,T] / [B] arrays, padded with mask 0. */
  private record Tensors(
      NDArray logpOld,
      NDArray logpTeacher,
      NDArray adv,
      NDArray mask,
      NDArray skillMask,
      Optional<NDArray> logpRef) {

    static <I> Tensors of(NDManager mb, List<ScoredSequence<I>> rows, int T) {
      int B = rows.size();
      float[] logpOld = new float[B * T];
      float[] mask = new float[B * T];
      float[] logpTeacher = new float[B * T]; // 0 where absent: finite, and masked out
      float[] logpRef = new float[B * T];
      float[] adv = new float[B];
      float[] skillMask = new float[B];
      boolean allRef = true;
      for (int i = 0; i < B; i++) {
        ScoredSequence<I> s = rows.get(i);
        System.arraycopy(s.logpOld(), 0, logpOld, i * T, s.length());
        System.arraycopy(s.mask(), 0, mask, i * T, s.length());
        adv[i] = (float) s.advantage();
        if (s.hasSkill()) {
          System.arraycopy(s.logpTeacher(), 0, logpTeacher, i * T, s.length());
          skillMask[i] = 1;
        }
        if (s.logpRef().length > 0) {
          System.arraycopy(s.logpRef(), 0, logpRef, i * T, s.length());
        } else {
          allRef = false;
        }
      }
      Shape bt = new Shape(B, T);
      // teacher log-probs are always passed: rows without a skill are masked out by skillMask
      return new Tensors(
          mb.create(logpOld, bt),
          mb.create(logpTeacher, bt),
          mb.create(adv),
          mb.create(mask, bt),
          mb.create(skillMask),
          allRef ? Optional.of(mb.create(logpRef, bt)) : Optional.empty());
    }
  }
}
