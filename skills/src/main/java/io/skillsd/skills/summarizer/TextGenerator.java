package io.skillsd.skills.summarizer;

import java.util.concurrent.CompletableFuture;

/**
 * A language model that answers one chat exchange: a system prompt and a user prompt in, the assistant's
 * text out. {@link io.skillsd.skills.openai.OpenAiChatClient} implements it over HTTP; the policy module
 * implements it with the policy model, so the policy itself can summarize.
 *
 * <p>Failures complete the future exceptionally with a {@link GenerationException} whose kind tells the
 * caller whether a retry can help; implementations run their work off the caller's thread.
 */
@FunctionalInterface
public interface TextGenerator {

  CompletableFuture<String> generate(String systemPrompt, String userPrompt, GenerationOptions options);
}
