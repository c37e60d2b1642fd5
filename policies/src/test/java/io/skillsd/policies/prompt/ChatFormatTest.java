package io.skillsd.policies.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.policies.tokenizer.ChatTemplate;
import io.skillsd.policies.tokenizer.WordTokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChatFormatTest {
  private final WordTokenizer tok = new WordTokenizer();
  private final ChatFormat format = new ChatFormat(tok, new ChatTemplate.Plain());
  private final StudentPrompt student = new StudentPrompt("Solve the puzzle.", "#_P_#");
  private final TeacherPrompt teacher = new TeacherPrompt("Solve the puzzle.", "#_P_#", "Avoid corners.");

  @Test
  void studentPromptHasNoSkillAndTeacherPromptHasItInTheSystemPart() {
    String s = tok.decode(format.open(student).tokens());
    String t = tok.decode(format.open(teacher).tokens());
    assertEquals("system: Solve the puzzle.\nuser: #_P_#\nassistant: ", s);
    assertFalse(s.contains("Avoid corners."));
    assertTrue(t.startsWith("system: Solve the puzzle.\n\nSkill:\nAvoid corners.\nuser: #_P_#"), t);
    assertThrows(IllegalArgumentException.class, () -> new TeacherPrompt("s", "t", " "));
  }

  @Test
  void turnsAreAppendedNeverRetokenized() {
    Transcript t = format.open(student);
    int[] reply = tok.encode("<answer>Up</answer>");
    Transcript afterReply = t.appendSampled(reply); // hit its length limit: no end-of-turn token
    Transcript next = format.observe(afterReply, "#P__#");
    int[] all = next.tokens();
    assertArrayEquals(afterReply.tokens(), Arrays.copyOf(all, afterReply.length()));
    assertEquals(format.endOfTurnId(), all[afterReply.length()]);
    assertEquals(tok.decode(afterReply.tokens()) + "<|im_end|>\nuser: #P__#\nassistant: ", tok.decode(all));
    boolean[] sampled = next.sampled();
    for (int i = 0; i < all.length; i++) {
      boolean inReply = i >= t.length() && i < t.length() + reply.length;
      assertEquals(inReply, sampled[i], "token " + i);
    }
    // A reply that ended properly gets no second end-of-turn token.
    Transcript ended = t.appendSampled(new int[] {tok.tokenId("Up").orElseThrow(), format.endOfTurnId()});
    assertEquals(ended.length() + tok.encode("\nuser: x\nassistant: ").length, format.observe(ended, "x").length());
  }

  @Test
  void chatMlLaysOutQwenTurns() {
    ChatTemplate chatMl = new ChatTemplate.ChatMl();
    assertEquals("<|im_start|>system\nRules<|im_end|>\n<|im_start|>user\n#_P#<|im_end|>\n<|im_start|>assistant\n",
        chatMl.open("Rules", "#_P#"));
    assertEquals("\n<|im_start|>user\n#P_#<|im_end|>\n<|im_start|>assistant\n", chatMl.next("#P_#"));
    assertEquals("<|im_end|>", chatMl.endOfTurn());
    ChatFormat qwenLike = new ChatFormat(tok, chatMl);
    Transcript t = qwenLike.observe(qwenLike.open(student).appendSampled(new int[] {qwenLike.endOfTurnId()}), "x");
    assertEquals(chatMl.open(student.system(), student.task()) + "<|im_end|>" + chatMl.next("x"),
        tok.decode(t.tokens()));
  }

  @Test
  void teacherSeesTheSameTurnsAfterItsOwnPrompt() {
    Transcript s = format.observe(format.open(student).appendSampled(tok.encode("<answer>Up</answer>")), "#P__#");
    Transcript t = format.forTeacher(s, teacher);
    int tail = s.length() - s.promptLength();
    assertEquals(tail, t.length() - t.promptLength());
    assertArrayEquals(Arrays.copyOfRange(s.tokens(), s.promptLength(), s.length()),
        Arrays.copyOfRange(t.tokens(), t.promptLength(), t.length()));
    assertArrayEquals(Arrays.copyOfRange(s.sampled(), s.promptLength(), s.length()),
        Arrays.copyOfRange(t.sampled(), t.promptLength(), t.length()));
    assertArrayEquals(format.open(teacher).tokens(), Arrays.copyOf(t.tokens(), t.promptLength()));
  }
}
