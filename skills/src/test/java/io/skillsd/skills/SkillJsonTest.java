package io.skillsd.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SkillJsonTest {

  private static final Skill.Provenance PROV =
      new Skill.Provenance("sokoban/skill-sd/train/017", "it3-ep5", 0.75, 3, "analyst");
  private final SkillJson json = SkillJson.withDefaults();

  private static Skill skill() {
    return new Skill("Pushing the left box first kept both lanes open.",
        "Pushing the right box into the corner at turn 4 made the level unsolvable.",
        "1. Left. 2. Push the left box Up twice. 3. Walk around and push the right box Left.", PROV);
  }

  @Test
  void roundTripKeepsEveryFieldAndUsesThePapersNames() {
    String text = json.write(skill());
    assertTrue(text.contains("\"success_analysis\":\"Pushing the left box first"), text);
    assertTrue(text.contains("\"golden_workflow\""), text);
    assertTrue(text.contains("\"weights_version\":3"), text);
    assertEquals(skill(), json.read(text));
  }

  @Test
  void missingFieldIsRejectedByName() {
    String text = json.write(skill()).replace("\"mistake_analysis\"", "\"mistakes\"");
    SkillFormatException e = assertThrows(SkillFormatException.class, () -> json.read(text));
    assertTrue(e.getMessage().contains("missing [mistake_analysis]"), e.getMessage());
    assertTrue(e.getMessage().contains("unexpected [mistakes]"), e.getMessage());
  }

  @Test
  void extraAndDuplicateKeysAreRejected() {
    String extra = "{\"success_analysis\":\"a\",\"mistake_analysis\":\"b\",\"golden_workflow\":\"c\",\"score\":1}";
    SkillFormatException e = assertThrows(SkillFormatException.class, () -> json.readAnswer(extra, PROV));
    assertTrue(e.getMessage().contains("unexpected [score]"), e.getMessage());
    String dup = "{\"success_analysis\":\"a\",\"success_analysis\":\"a2\",\"mistake_analysis\":\"b\",\"golden_workflow\":\"c\"}";
    e = assertThrows(SkillFormatException.class, () -> json.readAnswer(dup, PROV));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void emptyOrNonStringFieldIsRejected() {
    String empty = "{\"success_analysis\":\"  \",\"mistake_analysis\":\"b\",\"golden_workflow\":\"c\"}";
    SkillFormatException e = assertThrows(SkillFormatException.class, () -> json.readAnswer(empty, PROV));
    assertEquals("'success_analysis' must not be empty", e.getMessage());
    String number = "{\"success_analysis\":\"a\",\"mistake_analysis\":7,\"golden_workflow\":\"c\"}";
    e = assertThrows(SkillFormatException.class, () -> json.readAnswer(number, PROV));
    assertTrue(e.getMessage().contains("'mistake_analysis' must be a string"), e.getMessage());
  }

  @Test
  void oversizedFieldIsRejectedAtTheConfiguredCap() {
    SkillJson small = new SkillJson(10);
    String ok = "{\"success_analysis\":\"0123456789\",\"mistake_analysis\":\"b\",\"golden_workflow\":\"c\"}";
    assertEquals("0123456789", small.readAnswer(ok, PROV).successAnalysis());
    String over = ok.replace("0123456789", "0123456789A");
    SkillFormatException e = assertThrows(SkillFormatException.class, () -> small.readAnswer(over, PROV));
    assertEquals("'success_analysis' has 11 characters, over the cap of 10", e.getMessage());
    assertThrows(SkillFormatException.class, () -> small.write(skill()));
  }

  @Test
  void provenanceIsValidatedStrictly() {
    String text = json.write(skill());
    assertThrows(SkillFormatException.class, () -> json.read(text.replace("\"weights_version\":3", "\"weights_version\":3.5")));
    assertThrows(SkillFormatException.class, () -> json.read(text.replace("\"weights_version\":3", "\"weights_version\":-1")));
    assertThrows(SkillFormatException.class, () -> json.read(text.replace("\"task_id\":\"sokoban/skill-sd/train/017\"", "\"task_id\":\"\"")));
    SkillFormatException e = assertThrows(SkillFormatException.class,
        () -> json.read(text.replace(",\"summarizer\":\"analyst\"", "")));
    assertTrue(e.getMessage().contains("skill provenance must have exactly the keys"), e.getMessage());
  }

  @Test
  void answerToleratesThinkBlockAndJsonFenceButNoOtherText() {
    String body = "{\"success_analysis\":\"a\",\"mistake_analysis\":\"b\",\"golden_workflow\":\"c\"}";
    assertEquals("c", json.readAnswer("<think>plan</think>\n```json\n" + body + "\n```", PROV).goldenWorkflow());
    assertEquals("a", json.readAnswer("```\n" + body + "\n```", PROV).successAnalysis());
    assertThrows(SkillFormatException.class, () -> json.readAnswer("Here is the skill: " + body, PROV));
    assertThrows(SkillFormatException.class, () -> json.readAnswer(body + " Hope this helps.", PROV));
    assertThrows(SkillFormatException.class, () -> json.readAnswer("```python\n" + body + "\n```", PROV));
    assertThrows(SkillFormatException.class, () -> json.readAnswer("<think>never closed " + body, PROV));
    assertThrows(SkillFormatException.class, () -> json.readAnswer("[" + body + "]", PROV));
  }

  @Test
  void renderingForTheTeacherHasTheThreeFieldsAndNoProvenance() {
    String text = skill().render();
    assertTrue(text.startsWith(Skill.PROMPT_HEADING + ":\n"), text);
    assertTrue(text.contains("What worked and should be reused: Pushing the left box first"), text);
    assertTrue(text.contains("What went wrong and why: Pushing the right box into the corner"), text);
    assertTrue(text.contains("Golden workflow to follow: 1. Left."), text);
    assertTrue(!text.contains("it3-ep5") && !text.contains("analyst"), text);
  }

  @Test
  void recordRejectsBlankFieldsAndBadProvenance() {
    assertThrows(IllegalArgumentException.class, () -> new Skill("a", " ", "c", PROV));
    assertThrows(IllegalArgumentException.class, () -> new Skill.Provenance("t", "j", Double.NaN, 0, "x"));
    assertThrows(IllegalArgumentException.class, () -> new Skill.Provenance("t", "j", 0, -1, "x"));
  }
}
