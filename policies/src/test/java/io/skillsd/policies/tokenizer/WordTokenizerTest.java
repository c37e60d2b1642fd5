package io.skillsd.policies.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.policies.model.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordTokenizerTest {
  private final WordTokenizer tok = new WordTokenizer();

  private int id(String s) {
    return tok.tokenId(s).orElseThrow();
  }

  @Test
  void vocabularyIsFixed() {
    assertEquals(0, id("<pad>"));
    assertEquals(3, id("<|im_end|>"));
    // 9 specials + 95 printable ASCII + newline, tab, √ + 236 words + 256 bytes. Changing the vocabulary
    // invalidates every saved tiny checkpoint, so it must be a deliberate edit here too.
    assertEquals(599, tok.vocabSize());
    assertEquals("<0x00>", tok.tokenText(343));
    assertEquals("<0xFF>", tok.tokenText(598));
    assertEquals(107, id("Up"));
  }

  @Test
  void actionsAreWholeTokens() {
    assertArrayEquals(new int[] {id("<answer>"), id("Up"), id(" "), id("||"), id(" "), id("Left"), id("</answer>")},
        tok.encode("<answer>Up || Left</answer>"));
  }

  @Test
  void sokobanGridIsOneTokenPerCell() {
    String grid = "#####\n#_P_#\n#X√O#\n#S__#\n#####";
    int[] ids = tok.encode(grid);
    assertEquals(grid.length(), ids.length);
    assertEquals(id("√"), ids[14]);
    assertEquals(grid, tok.decode(ids));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Never push a box into a corner unless it is a target.",
      "<think>The box is left of the target, so push Right.</think><answer>Right</answer>",
      "naïve — ünïcödé 🚀 and digits 12345 and tabs\tand\nnewlines",
      "unknownwordz xyzzy"})
  void everyTextRoundTrips(String text) {
    int[] ids = tok.encode(text);
    for (int i : ids) {
      assertTrue(i >= 0 && i < tok.vocabSize());
    }
    assertEquals(text, tok.decode(ids));
  }

  @Test
  void knownWordsAreSingleTokensAndUnknownOnesFallBackToCharacters() {
    assertEquals(1, tok.encode("corner").length);
    assertEquals(6, tok.encode("xyzzyq").length);
    assertEquals(4, tok.encode("🚀").length); // four UTF-8 byte tokens
  }

  @Test
  void huggingFaceTokenizerLoadsOffline() {
    try (HfTokenizer hf = HfTokenizer.load(Fixtures.parity("qwen2").resolve("tokenizer.json"))) {
      int[] ids = hf.encode("<|im_start|>user push the box<|im_end|>");
      assertArrayEquals(new int[] {1, hf.tokenId("user").orElseThrow(), hf.tokenId("push").orElseThrow(),
          hf.tokenId("the").orElseThrow(), hf.tokenId("box").orElseThrow(), 2}, ids);
      assertEquals(29, hf.vocabSize());
      assertTrue(hf.decode(ids).contains("push"));
    }
  }
}
