package io.skillsd.tests.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import io.skillsd.actors.serve.ChatMessage;
import io.skillsd.actors.serve.ChatModel;
import io.skillsd.actors.serve.ChatServer;
import io.skillsd.environments.Environment;
import io.skillsd.environments.Episodes;
import io.skillsd.environments.Trajectory;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.LanguageModel;
import io.skillsd.policies.model.TokenBatch;
import io.skillsd.policies.optim.AdamW;
import io.skillsd.skills.Skill;
import io.skillsd.skills.openai.OpenAiChatClient;
import io.skillsd.skills.summarizer.GenerationOptions;
import io.skillsd.skills.summarizer.ModelSummarizer;
import io.skillsd.skills.summarizer.ModelSummarizerSettings;
import io.skillsd.skills.summarizer.SummarizerStats;
import io.skillsd.skills.summarizer.SummaryContext;
import io.skillsd.skills.summarizer.SummaryPrompt;
import io.skillsd.examples.guessnumber.GuessNumberProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM summarizer end to end over real HTTP with a model that writes a valid skill: the built-in tiny model
 * is trained here by supervised cross-entropy (AdamW, until the loss on the answer is below 0.01) to answer the
 * summarizer's exact prompt for one trajectory with one fixed skill, saved with {@link LanguageModel#save},
 * loaded back and served by {@link ChatServer} on 127.0.0.1; {@link ModelSummarizer} over
 * {@link OpenAiChatClient} then gets that skill on its first attempt. Tagged long: training over the
 * ~1,100-token prompt takes minutes on a busy 2-core machine. The failure paths (malformed answers, timeouts,
 * a server that is down) need no training and run in the default suite ({@link SummarizerOverHttpTest}).
 */
@Tag("long") // serves the skills bar: the HTTP summarizer end to end against a served checkpoint writing a valid skill
class TrainedSkillWriterTest {

  /** The skill the checkpoint learns to write, as a model answers: the three fields, nothing else. */
  static final String ANSWER = "{\"success_analysis\": \"Halving the range found the number.\", "
      + "\"mistake_analysis\": \"No mistake.\", \"golden_workflow\": \"1. Guess 50. 2. Halve the range. 3. Repeat.\"}";

  private static final Logger LOG = LoggerFactory.getLogger(TrainedSkillWriterTest.class);
  private static final int MAX_TRAIN_STEPS = 300;
  private static final double TARGET_LOSS = 0.01;

  @TempDir
  static Path dir;

  static Trajectory trajectory;
  static final SummaryPrompt PROMPT = new SummaryPrompt(2000, 12_000);
  static ChatModel trained;
  static int trainSteps;
  static double finalLoss;

  @BeforeAll
  static void trainACheckpoint() {
    Environment env = new GuessNumberProvider().create(Map.of());
    trajectory = Episodes.play(env, env.tasks().train().get(0), env.referenceAgent().orElseThrow(), 10);
    Path checkpoint = dir.resolve("skill-writer");
    try (LanguageModel lm = LanguageModel.builtIn("tiny", 3, CausalLm.defaultDevice())) {
      ChatModel view = new ChatModel(lm, "training");
      int[] prompt = view.render(List.of(
          new ChatMessage(ChatMessage.Role.SYSTEM, PROMPT.system()),
          new ChatMessage(ChatMessage.Role.USER, PROMPT.user(trajectory))));
      int[] answer = lm.tokenizer().encode(ANSWER);
      int[] sequence = Arrays.copyOf(prompt, prompt.length + answer.length + 1);
      System.arraycopy(answer, 0, sequence, prompt.length, answer.length);
      sequence[sequence.length - 1] = lm.format().endOfTurnId();
      boolean[] mask = new boolean[sequence.length];
      Arrays.fill(mask, prompt.length, sequence.length, true);
      long start = System.nanoTime();
      train(lm.model(), new TokenBatch(List.of(sequence), List.of(mask)));
      LOG.info("trained on a {}-token example ({} answer tokens): {} steps to loss {} in {} s", sequence.length,
          answer.length + 1, trainSteps, String.format("%.4f", finalLoss), (System.nanoTime() - start) / 1_000_000_000);
      lm.save(checkpoint, Map.of());
    }
    trained = ChatModel.open(checkpoint.toString());
  }

  /** Masked mean cross-entropy on the answer tokens, AdamW, until it is near zero. */
  private static void train(CausalLm model, TokenBatch batch) {
    model.setTrainable(true);
    ParameterList parameters = parameters(model);
    try (NDManager manager = model.manager().newSubManager();
        AdamW adamW = new AdamW(manager, new AdamW.Settings(0.9, 0.98, 1e-8, 0.0))) {
      for (trainSteps = 1; trainSteps <= MAX_TRAIN_STEPS; trainSteps++) {
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          try (GradientCollector gc = step.getEngine().newGradientCollector()) {
            NDArray logp = model.tokenLogProbs(batch.ids(step), 1f); // [1, T]
            NDArray mask = batch.mask(step); // [1, T]
            NDArray loss = logp.mul(mask).sum().neg().div(mask.sum());
            finalLoss = loss.getFloat();
            gc.backward(loss);
          }
        }
        adamW.step(parameters, 6e-3);
        model.zeroGradients();
        if (finalLoss < TARGET_LOSS) {
          break;
        }
      }
    }
    model.setTrainable(false);
    assertTrue(finalLoss < TARGET_LOSS, "training reached loss " + finalLoss + " in " + MAX_TRAIN_STEPS + " steps");
  }

  private static ParameterList parameters(CausalLm model) {
    Map<String, Parameter> list = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      Parameter p = Parameter.builder().setName(e.getKey()).setType(Parameter.Type.WEIGHT).build();
      p.setArray(e.getValue());
      list.put(e.getKey(), p);
    }
    return new ParameterList(list);
  }

  @AfterAll
  static void close() {
    if (trained != null) {
      trained.close();
    }
  }

  /** Greedy decoding, no rate limit, quick back-off. */
  static ModelSummarizerSettings settings(int attempts, Duration attemptTimeout) {
    return new ModelSummarizerSettings(attempts, attemptTimeout, Duration.ofMillis(10), Duration.ofMillis(50), 0.0,
        2000, 12_000, new GenerationOptions(256, 0.0));
  }

  static Optional<Skill> summarize(ModelSummarizer summarizer) {
    return summarizer.summarize(trajectory, new SummaryContext("it0/guess/g0", 4, 1.0)).join();
  }

  @Test
  void aTrainedCheckpointServedOverHttpGivesAValidSkill() throws Exception {
    try (ChatServer server = ChatServer.start(trained, SummarizerOverHttpTest.serve("skill-writer"))) {
      ModelSummarizer summarizer = SummarizerOverHttpTest.summarizer(server, settings(3, Duration.ofSeconds(60)));
      Skill skill = summarize(summarizer).orElseThrow(() -> new AssertionError(
          "no skill after " + trainSteps + " training steps (loss " + finalLoss + "): " + summarizer.stats()));
      assertEquals("Halving the range found the number.", skill.successAnalysis());
      assertEquals("No mistake.", skill.mistakeAnalysis());
      assertEquals("1. Guess 50. 2. Halve the range. 3. Repeat.", skill.goldenWorkflow());
      assertEquals("openai:skill-writer", skill.provenance().summarizer());
      assertEquals(trajectory.task().id(), skill.provenance().taskId());
      assertEquals("it0/guess/g0", skill.provenance().trajectoryId());
      assertEquals(4, skill.provenance().weightsVersion());
      assertEquals(new SummarizerStats(1, 1, 0, 0, 1, 0, 0, 0, 0), summarizer.stats());
      assertEquals(1, server.served());
    }
  }
}
