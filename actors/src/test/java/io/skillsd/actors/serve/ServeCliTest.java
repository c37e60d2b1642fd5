package io.skillsd.actors.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.actors.cli.CliRun;
import io.skillsd.skills.Skill;
import io.skillsd.skills.bank.SkillBank;
import io.skillsd.skills.bank.SkillBankSettings;
import io.skillsd.skills.bank.SkillSelection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skillsd serve}, {@code skills show} and {@code model info|generate}, in process: outputs and usage errors. */
class ServeCliTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @TempDir
  Path tmp;

  private static Skill skill(String task, String trajectory, String workflow) {
    return new Skill("It worked.", "Nothing failed.", workflow,
        new Skill.Provenance(task, trajectory, 0.5, 3, "analyst"));
  }

  @Test
  void skillsShowPrintsTheBankPerTaskWithUcbStatistics() throws Exception {
    SkillBank bank = new SkillBank(SkillBankSettings.defaults());
    bank.add(skill("sokoban/train/001", "it1/g0", "1. Right. 2. Down."));
    bank.add(skill("sokoban/train/001", "it1/g1", "1. Up. 2. Left."));
    bank.add(skill("sokoban/train/002", "it1/g2", "1. Left ×2."));
    SkillSelection first = bank.select("sokoban/train/001").orElseThrow();
    bank.recordReward("sokoban/train/001", first.skillId(), 0.75);
    Path run = tmp.resolve("run-7");
    bank.save(run.resolve("skills"));

    CliRun r = run("skills", "show", run.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("2 task(s), 3 skill(s), UCB c = 1.0"), r.out());
    assertTrue(r.out().contains("task sokoban/train/001: 2 skills, N = 1 selection"), r.out());
    assertTrue(r.out().contains("task sokoban/train/002: 1 skill, N = 0 selections"), r.out());
    // n = 1, one reward, mean 0.750, UCB = 0.75 + 1.0 * sqrt(ln 1 / 1) = 0.750
    assertTrue(r.out().lines().anyMatch(l -> l.contains(first.skillId()) && l.contains("0.750     0.750")), r.out());
    assertTrue(r.out().contains("untried"), r.out());
    assertTrue(r.out().contains("workflow: 1. Left ×2."), r.out());

    Files.writeString(run.resolve("config.conf"), "skillsd.skills.bank.exploration = 2.5\n");
    assertTrue(run("skills", "show", run.toString()).out().contains("UCB c = 2.5"));
    assertTrue(run("skills", "show", run.toString(), "--exploration", "0").out().contains("UCB c = 0.0"));
  }

  @Test
  void skillsShowExplainsAMissingBank() throws Exception {
    CliRun empty = run("skills", "show", tmp.toString());
    assertEquals(1, empty.code());
    assertTrue(empty.err().contains("has no skill bank (expected " + tmp.resolve("skills").resolve("bank.json")),
        empty.err());
    CliRun missing = run("skills", "show", tmp.resolve("nope").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no such run directory"), missing.err());
    Files.createDirectories(tmp.resolve("broken/skills"));
    Files.writeString(tmp.resolve("broken/skills/bank.json"), "{\"format\": 9}");
    CliRun broken = run("skills", "show", tmp.resolve("broken").toString());
    assertEquals(1, broken.code());
    assertTrue(broken.err().contains("bank.json"), broken.err());
    assertEquals(2, run("skills", "show").code());
    assertEquals(2, run("skills").code());
  }

  @Test
  void modelInfoDescribesTheBuiltInModel() {
    CliRun r = run("model", "info", "builtin:tiny");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("model_type: qwen3"), r.out());
    assertTrue(r.out().contains("layers: 2, hidden: 64"), r.out());
    assertTrue(r.out().contains("tokenizer: "), r.out());
    assertTrue(r.out().contains("chat template: Plain"), r.out());
    assertTrue(r.out().contains("context 4096"), r.out());
  }

  @Test
  void modelInfoReadsASavedCheckpointAndRejectsOthers() throws Exception {
    try (ChatModel m = ChatModel.open("builtin:tiny")) {
      m.languageModel().save(tmp.resolve("ckpt"), java.util.Map.of());
    }
    CliRun r = run("model", "info", tmp.resolve("ckpt").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("stored dtype: F32"), r.out());
    Files.createDirectories(tmp.resolve("empty"));
    CliRun bad = run("model", "info", tmp.resolve("empty").toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("cannot load the model") && bad.err().contains("config.json"), bad.err());
    assertEquals(2, run("model", "info", tmp.resolve("nope").toString()).code());
    CliRun size = run("model", "info", "builtin:huge");
    assertEquals(2, size.code());
    assertTrue(size.err().contains("unknown built-in size 'huge'"), size.err());
    assertEquals(2, run("model").code());
  }

  @Test
  void modelGeneratePrintsTheSameReplyAsTheServer() {
    CliRun r = run("model", "generate", "builtin:tiny", "--system", "Rules.", "--prompt", "Push the box",
        "--max-tokens", "6", "--temperature", "0", "--usage");
    assertEquals(0, r.code(), r.err());
    try (ChatModel m = ChatModel.open("builtin:tiny")) {
      ChatResult expected = m.complete(new ChatRequest(Optional.empty(), List.of(
          new ChatMessage(ChatMessage.Role.SYSTEM, "Rules."), new ChatMessage(ChatMessage.Role.USER, "Push the box")),
          OptionalInt.of(6), 0, 1, OptionalLong.of(0), List.of()), 6, 0);
      assertEquals(expected.content() + System.lineSeparator(), r.out());
      assertTrue(r.err().contains("prompt " + expected.promptTokens() + " tokens, completion "
          + expected.completionTokens() + " tokens"), r.err());
    }
  }

  @Test
  void modelGenerateUsageErrors() {
    CliRun noPrompt = run("model", "generate", "builtin:tiny");
    assertEquals(2, noPrompt.code());
    assertTrue(noPrompt.err().contains("--prompt"), noPrompt.err());
    CliRun cold = run("model", "generate", "builtin:tiny", "--prompt", "x", "--temperature", "-1");
    assertEquals(2, cold.code());
    assertTrue(cold.err().contains("--temperature"), cold.err());
    assertEquals(2, run("model", "generate", "builtin:tiny", "--prompt", "x", "--max-tokens", "0").code());
  }

  @Test
  void serveUsageErrors() throws Exception {
    assertEquals(2, run("serve").code());
    CliRun missing = run("serve", tmp.resolve("nope").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no such checkpoint directory"), missing.err());
    CliRun port = run("serve", "builtin:tiny", "--port", "70000");
    assertEquals(2, port.code());
    assertTrue(port.err().contains("port"), port.err());
    CliRun delay = run("serve", "builtin:tiny", "--debug-delay", "soon");
    assertEquals(2, delay.code());
    assertTrue(delay.err().contains("--debug-delay"), delay.err());
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun busy = run("serve", "builtin:tiny", "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(1, busy.code());
      assertTrue(busy.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), busy.err());
    }
  }

  @Test
  void helpListsTheNewCommands() {
    CliRun r = run("--help");
    for (String command : new String[] {"serve", "skills", "model"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(command + " ")), command + " in:\n" + r.out());
    }
  }
}
