package io.skillsd.policies.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import io.skillsd.policies.compute.GradMode;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.LanguageModel;
import io.skillsd.policies.optim.AdamW;
import io.skillsd.policies.optim.GlobalNormClipping;
import io.skillsd.policies.optim.LearningRateSchedule;
import io.skillsd.policies.prompt.Transcript;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Supervised pretraining of the base agent: next-token cross-entropy on the answer tokens of
 * {@link PretrainData} examples, averaged over the batch's answer tokens,
 *
 * <pre>
 *   L = −(1/N) Σ_b Σ_t mask[b,t] · log π_θ(y[b,t] | y[b,&lt;t])
 * </pre>
 *
 * with AdamW, linear warm-up then cosine decay to a tenth of the peak rate, and global-norm clipping.
 * Examples are drawn in pools of eight batches, sorted by length so a batch pads little, and the pool's
 * batches are visited in a random order. Everything random comes from the settings' seed.
 */
public final class Pretrainer {

  private static final int POOL_BATCHES = 8;

  /**
   * Where training stands after a step.
   *
   * @param step steps done
   * @param steps steps in all
   * @param loss the step's loss (nats per answer token)
   * @param smoothedLoss an exponential average of the loss (weight 0.1 on the newest)
   * @param tokensPerSecond real (unpadded) tokens processed per second since the start
   * @param elapsedSeconds seconds since the start
   * @param etaSeconds estimated seconds to the end
   * @param learningRate the step's learning rate
   */
  public record Progress(int step, int steps, double loss, double smoothedLoss, double tokensPerSecond,
      double elapsedSeconds, double etaSeconds, double learningRate, int skippedSteps) {}

  /**
   * What a run did.
   *
   * @param steps steps done
   * @param finalSmoothedLoss the smoothed loss at the end
   * @param seconds wall-clock seconds
   * @param tokens real tokens processed
   * @param answerTokens tokens the loss was on
   * @param examples examples seen, by kind
   */
  public record Result(int steps, double finalSmoothedLoss, double seconds, long tokens, long answerTokens,
      Map<PretrainData.Kind, Integer> examples, int skippedSteps) {
    public Result {
      examples = Map.copyOf(examples);
    }
  }

  private Pretrainer() {}

  /** Trains {@code model} in place. */
  public static Result train(LanguageModel model, PretrainSettings settings, Consumer<Progress> progress) {
    CausalLm lm = model.model();
    PretrainData data = new PretrainData(settings.sokoban(), model.format(), settings.fillToEnd(), settings.teacherShare(),
        settings.teacherWanderShare());
    SplittableRandom rng = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + 17);
    LearningRateSchedule schedule = LearningRateSchedule.cosine(settings.learningRate(), settings.warmupSteps(),
        settings.steps(), 0.1);
    GradMode.offOnThisThread();
    lm.setTrainable(true);
    ParameterList parameters = parameters(lm);
    Map<PretrainData.Kind, Integer> seen = new LinkedHashMap<>();
    long tokens = 0;
    long answerTokens = 0;
    double smoothed = Double.NaN;
    int skipped = 0;
    long start = System.nanoTime();
    List<List<PretrainData.Example>> pool = new ArrayList<>();
    try (AdamW optimizer = new AdamW(lm.manager(), new AdamW.Settings(0.9, 0.95, 1e-8, settings.weightDecay()))) {
      for (int step = 0; step < settings.steps(); step++) {
        if (pool.isEmpty()) {
          pool = pool(data, rng, settings.batchSize());
        }
        List<PretrainData.Example> batch = pool.remove(pool.size() - 1);
        for (PretrainData.Example e : batch) {
          seen.merge(e.kind(), 1, Integer::sum);
          tokens += e.transcript().length();
          for (boolean s : e.transcript().sampled()) {
            answerTokens += s ? 1 : 0;
          }
        }
        double eta = schedule.at(step);
        double loss = step(lm, batch, parameters, settings.maxGradNorm());
        if (Double.isFinite(loss)) {
          optimizer.step(parameters, eta);
        }
        lm.zeroGradients();
        if (Double.isFinite(loss)) {
          smoothed = Double.isNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss;
        } else {
          skipped++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int done = step + 1;
        progress.accept(new Progress(done, settings.steps(), loss, smoothed, tokens / elapsed, elapsed,
            elapsed / done * (settings.steps() - done), eta, skipped));
      }
    } finally {
      lm.setTrainable(false);
    }
    return new Result(settings.steps(), smoothed, (System.nanoTime() - start) / 1e9, tokens, answerTokens, seen, skipped);
  }

  /** Eight batches of examples of similar length, in a random order. */
  private static List<List<PretrainData.Example>> pool(PretrainData data, SplittableRandom rng, int batchSize) {
    List<PretrainData.Example> examples = new ArrayList<>();
    for (int i = 0; i < POOL_BATCHES * batchSize; i++) {
      examples.add(data.next(rng));
    }
    examples.sort(Comparator.comparingInt(e -> e.transcript().length()));
    List<List<PretrainData.Example>> batches = new ArrayList<>();
    for (int b = 0; b < POOL_BATCHES; b++) {
      batches.add(new ArrayList<>(examples.subList(b * batchSize, (b + 1) * batchSize)));
    }
    for (int i = batches.size() - 1; i > 0; i--) { // Fisher–Yates with the run's stream
      int j = rng.nextInt(i + 1);
      List<PretrainData.Example> t = batches.get(i);
      batches.set(i, batches.get(j));
      batches.set(j, t);
    }
    return batches;
  }

  /** Forward and backward of one batch; the gradients are left clipped on the parameters. */
  private static double step(CausalLm lm, List<PretrainData.Example> batch, ParameterList parameters, double clip) {
    int b = batch.size();
    int t = batch.stream().mapToInt(e -> e.transcript().length()).max().orElseThrow();
    long[] ids = new long[b * t]; // right-padded with <pad> (id 0)
    float[] mask = new float[b * t];
    for (int i = 0; i < b; i++) {
      Transcript x = batch.get(i).transcript();
      int[] tok = x.tokens();
      boolean[] sampled = x.sampled();
      for (int j = 0; j < tok.length; j++) {
        ids[i * t + j] = tok[j];
        mask[i * t + j] = sampled[j] ? 1f : 0f;
      }
    }
    double loss;
    try (NDManager m = lm.manager().newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = m.create(ids, new Shape(b, t));
      NDArray w = m.create(mask, new Shape(b, t));
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray logp = lm.tokenLogProbs(x, 1f); // [B, T]
        NDArray l = logp.mul(w).sum().neg().div(w.sum()); // scalar
        loss = l.getFloat();
        if (Double.isFinite(loss)) {
          gc.backward(l);
        }
      }
      // A non-finite gradient (an overflow anywhere in the batch) must not reach AdamW: it would turn every
      // weight into NaN for good. The step is skipped like a non-finite loss.
      if (Double.isFinite(loss) && !Double.isFinite(GlobalNormClipping.clip(parameters, clip))) {
        return Double.NaN;
      }
    }
    return loss;
  }

  /** The model's weights as a parameter list (the same arrays). */
  static ParameterList parameters(CausalLm lm) {
    Map<String, Parameter> list = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : lm.parameters().entrySet()) {
      Parameter p = Parameter.builder().setName(e.getKey()).setType(Parameter.Type.WEIGHT).build();
      p.setArray(e.getValue());
      list.put(e.getKey(), p);
    }
    return new ParameterList(list);
  }
}
