package io.skillsd.policies.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.skillsd.policies.checkpoint.CheckpointFormatException;
import io.skillsd.policies.model.LanguageModel;
import io.skillsd.policies.tokenizer.ChatTemplate;
import io.skillsd.policies.tokenizer.WordTokenizer;
import io.skillsd.skills.Skill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptStyleTest {
  private final WordTokenizer tok = new WordTokenizer();
  private final Skill skill = new Skill("Pushing the box up worked.", "No mistakes.",
      "1. push Up. Answers that solve it from the start: turn 1 <answer>Up</answer>.",
      new Skill.Provenance("sokoban/t1", "traj-1", 1.0, 0, "analyst"));

  @Test
  void compactPromptsDropTheInstructionsAndKeepOnlyTheGoldenWorkflow() {
    ChatFormat compact = new ChatFormat(tok, new ChatTemplate.Plain(), PromptStyle.COMPACT);
    String student = tok.decode(compact.open(new StudentPrompt("Long rules.", "#_P_#")).tokens());
    assertEquals("system: \nuser: #_P_#\nassistant: ", student);
    String teacher = tok.decode(compact.open(
        new TeacherPrompt("Long rules.", "#_P_#", compact.style().render(skill))).tokens());
    assertEquals("system: Skill:\n" + skill.goldenWorkflow() + "\nuser: #_P_#\nassistant: ", teacher);

    ChatFormat full = compact.withStyle(PromptStyle.FULL);
    String fullTeacher = tok.decode(full.open(
        new TeacherPrompt("Long rules.", "#_P_#", full.style().render(skill))).tokens());
    assertTrue(fullTeacher.startsWith("system: Long rules.\n\nSkill:\n" + Skill.PROMPT_HEADING), fullTeacher);
    assertTrue(fullTeacher.contains(skill.successAnalysis()) && fullTeacher.contains(skill.mistakeAnalysis()));
  }

  @Test
  void answersStyleKeepsOnlyTheQuotedAnswersOneTurnPerLine() {
    Skill twoTurns = new Skill("s", "m", "1. Down ×5. 2. push Left, which solves the task. Answers that solve it "
        + "from the start: turn 1 <answer>Down || Down || Down || Down || Down</answer>, turn 2 <answer>Left"
        + "</answer>. This plan is optimal: 6 moves.", skill.provenance());
    assertEquals("turn 1 <answer>Down || Down || Down || Down || Down</answer>\nturn 2 <answer>Left</answer>",
        PromptStyle.ANSWERS.render(twoTurns));
    assertEquals("turn 1 <answer>Up</answer>", PromptStyle.ANSWERS.render(skill));
    Skill noAnswers = new Skill("s", "m", "1. Down. 2. push Left.", skill.provenance());
    assertEquals("1. Down. 2. push Left.", PromptStyle.ANSWERS.render(noAnswers), "a workflow without answers stays");
    assertEquals(PromptStyle.ANSWERS, PromptStyle.parse("answers"));
  }

  @Test
  void theStyleIsStoredWithTheCheckpoint(@TempDir Path dir) throws Exception {
    try (LanguageModel m = LanguageModel.builtIn("tiny", 1, Device.cpu(), PromptStyle.COMPACT)) {
      m.save(dir, Map.of());
    }
    assertTrue(Files.readString(dir.resolve(LanguageModel.SKILLSD_JSON)).contains("\"compact\""));
    try (LanguageModel m = LanguageModel.load(dir, Device.cpu())) {
      assertEquals(PromptStyle.COMPACT, m.format().style());
    }
    // a checkpoint without the file (any HuggingFace directory) is prompted in full
    Files.delete(dir.resolve(LanguageModel.SKILLSD_JSON));
    assertEquals(PromptStyle.FULL, LanguageModel.readPromptStyle(dir));
    Files.writeString(dir.resolve(LanguageModel.SKILLSD_JSON), "{\"prompt_style\": \"terse\"}");
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> LanguageModel.readPromptStyle(dir));
    assertTrue(e.getMessage().contains("unknown prompt style 'terse'"), e.getMessage());
  }
}
