package io.skillsd.actors.policy;

import akka.actor.typed.ActorRef;
import io.skillsd.policies.prompt.Transcript;
import java.util.Objects;

/** Messages of the {@link PolicyServerActor}: sample the student's next reply for a dialogue so far. */
public final class PolicyServerProtocol {

  private PolicyServerProtocol() {}

  public sealed interface Command permits Generate, Expect, Leave, Flush {}

  /**
   * Sample the next reply of {@code transcript} under θ.
   *
   * @param episodeId for logs and for the reply
   * @param transcript the dialogue so far, ending with the prompt of the turn to answer
   * @param temperature sampling temperature (0 = greedy)
   * @param seed the sampling seed of this turn (reproducible)
   * @param teacher sample with θ̄ instead of θ (the off-policy, teacher-owned rollout ablation)
   */
  public record Generate(String episodeId, Transcript transcript, float temperature, long seed, boolean teacher,
      ActorRef<Generated> replyTo) implements Command {
    public Generate {
      Objects.requireNonNull(episodeId, "episodeId");
      Objects.requireNonNull(transcript, "transcript");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * The sampled reply.
   *
   * @param tokens the sampled tokens (the end-of-turn token included when the reply ended with it)
   * @param logProbs log π_θold of each sampled token
   * @param text the reply's text without the end-of-turn token
   * @param version the weights version that sampled it
   * @param batchSize how many requests shared the batched forward passes (for throughput metrics)
   * @param contextFull the dialogue already fills the model's context, so nothing was sampled (no tokens,
   *     empty text): the episode cannot go on
   */
  public record Generated(String episodeId, int[] tokens, float[] logProbs, String text, long version, int batchSize,
      boolean contextFull) {

    /** The reply to a dialogue that already fills the model's context. */
    static Generated contextFull(String episodeId, long version) {
      return new Generated(episodeId, new int[0], new float[0], "", version, 0, true);
    }
  }

  /**
   * Episode {@code episodeId} is starting and will send requests until it {@link Leave}s. In lockstep
   * mode the server batches once every expected episode has a request waiting.
   */
  public record Expect(String episodeId) implements Command {}

  /** Episode {@code episodeId} finished or failed; it sends no more requests. */
  public record Leave(String episodeId) implements Command {}

  /** Run the pending requests as one batch (sent to itself). */
  record Flush() implements Command {}

  static Flush flush() {
    return new Flush();
  }
}
