package io.skillsd.actors.serve;

import io.skillsd.policies.generation.Generation;
import io.skillsd.policies.generation.GenerationRequest;
import io.skillsd.policies.generation.Generator;
import io.skillsd.policies.generation.SamplingParams;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.LanguageModel;
import io.skillsd.policies.model.ModelInfo;
import io.skillsd.policies.prompt.ChatFormat;
import io.skillsd.policies.prompt.StudentPrompt;
import io.skillsd.policies.prompt.Transcript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A policy checkpoint answering chat requests: renders OpenAI-style messages in the model's own chat format
 * and samples one reply. Not thread-safe — the model is used by one thread at a time ({@link ChatServer}
 * runs every request on its single model thread).
 *
 * <p>Rendering goes through the same {@link ChatFormat} the agent is trained with, token-in, token-out:
 * the system messages and the first user message form the opening prompt; each earlier assistant reply is
 * appended as its tokens followed by the end-of-turn token, then the next user turn; the prompt ends with the
 * header of the assistant's reply.
 */
public final class ChatModel implements AutoCloseable {
  /** The model argument naming a freshly initialized built-in model instead of a directory. */
  public static final String BUILTIN_PREFIX = "builtin:";

  private final LanguageModel model;
  private final String source;

  /**
   * @param model the loaded model (closed with this)
   * @param source where it came from, for {@code /health} and logs
   */
  public ChatModel(LanguageModel model, String source) {
    this.model = Objects.requireNonNull(model, "model");
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * Opens {@code builtin:<size>} (a freshly initialized built-in model, seed 0) or a checkpoint directory.
   *
   * @throws io.skillsd.policies.checkpoint.CheckpointFormatException when the directory is not a checkpoint
   * @throws IllegalArgumentException for an unknown built-in size
   */
  public static ChatModel open(String spec) {
    if (spec.startsWith(BUILTIN_PREFIX)) {
      return new ChatModel(LanguageModel.builtIn(spec.substring(BUILTIN_PREFIX.length()), 0,
          CausalLm.defaultDevice()), spec);
    }
    return new ChatModel(LanguageModel.load(io.skillsd.actors.policy.TrainingModels.checkpointPath(spec)), spec);
  }

  public String source() {
    return source;
  }

  public ModelInfo info() {
    return model.info();
  }

  public LanguageModel languageModel() {
    return model;
  }

  /** The most tokens a prompt and its answer may hold together. */
  public int contextLength() {
    return model.model().config().maxPositionEmbeddings();
  }

  /** The prompt tokens for a dialogue (see the class comment); the dialogue must be valid for a request. */
  public int[] render(List<ChatMessage> messages) {
    ChatFormat format = model.format();
    List<String> system = new ArrayList<>();
    List<ChatMessage> turns = new ArrayList<>();
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.SYSTEM) {
        system.add(m.content());
      } else if (!turns.isEmpty() && turns.get(turns.size() - 1).role() == m.role()) {
        ChatMessage last = turns.remove(turns.size() - 1);
        turns.add(new ChatMessage(m.role(), last.content() + "\n\n" + m.content()));
      } else {
        turns.add(m);
      }
    }
    if (turns.isEmpty() || turns.get(0).role() != ChatMessage.Role.USER
        || turns.get(turns.size() - 1).role() != ChatMessage.Role.USER) {
      throw new IllegalArgumentException("a dialogue starts and ends with a user turn");
    }
    Transcript t = format.open(new StudentPrompt(String.join("\n\n", system), turns.get(0).content()));
    for (int i = 1; i < turns.size(); i += 2) {
      t = t.appendSampled(format.tokenizer().encode(turns.get(i).content()));
      t = format.observe(t, turns.get(i + 1).content());
    }
    return t.tokens();
  }

  /**
   * Answers one request.
   *
   * @param request the validated request
   * @param maxTokens the most tokens to generate (the request's, or the server's default); fewer when the
   *     context has less room
   * @param seed the sampling seed
   * @throws ApiError (400, {@code context_length_exceeded}) when the prompt leaves no room for an answer
   */
  public ChatResult complete(ChatRequest request, int maxTokens, long seed) {
    int[] prompt = render(request.messages());
    int room = contextLength() - prompt.length;
    if (room < 1) {
      throw ApiError.badRequest("the prompt has " + prompt.length + " tokens; this model's context is "
          + contextLength() + " tokens", "messages", "context_length_exceeded");
    }
    ChatFormat format = model.format();
    SamplingParams params = new SamplingParams((float) request.temperature(), (float) request.topP(),
        Math.min(maxTokens, room), format.stopTokens(), seed);
    Generation g = new Generator(model.model()).generate(List.of(new GenerationRequest(prompt, params))).get(0);
    int[] tokens = g.tokens();
    boolean ended = g.stopReason() == Generation.StopReason.STOP_TOKEN;
    int[] answer = ended ? Arrays.copyOf(tokens, tokens.length - 1) : tokens;
    String text = format.tokenizer().decode(answer);
    int cut = firstStop(text, request.stop());
    if (cut >= 0) {
      return new ChatResult(text.substring(0, cut), prompt.length, tokensThrough(answer, text, cut, request.stop()),
          FinishReason.STOP);
    }
    return new ChatResult(text, prompt.length, tokens.length, ended ? FinishReason.STOP : FinishReason.LENGTH);
  }

  /** Where the earliest stop string starts in {@code text}, or -1. */
  private static int firstStop(String text, List<String> stop) {
    int best = -1;
    for (String s : stop) {
      int at = text.indexOf(s);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    return best;
  }

  /** How many tokens were sampled up to the one that completed the stop string starting at {@code cut}. */
  private int tokensThrough(int[] answer, String text, int cut, List<String> stop) {
    int end = text.length();
    for (String s : stop) {
      if (text.startsWith(s, cut)) {
        end = Math.min(end, cut + s.length());
      }
    }
    for (int k = 1; k <= answer.length; k++) {
      if (model.format().tokenizer().decode(Arrays.copyOf(answer, k)).length() >= end) {
        return k;
      }
    }
    return answer.length;
  }

  @Override
  public void close() {
    model.close();
  }
}
