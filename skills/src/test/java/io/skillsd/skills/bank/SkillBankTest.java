package io.skillsd.skills.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.skills.Skill;
import io.skillsd.skills.SkillFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillBankTest {

  private static final String TASK = "sokoban/skill-sd/train/001";

  private static Skill skill(String task, String tag) {
    return new Skill("success " + tag, "mistake " + tag, "workflow " + tag,
        new Skill.Provenance(task, "traj-" + tag, 0.5, 1, "analyst"));
  }

  private static SkillBank bank(int capacity, double c) {
    return new SkillBank(new SkillBankSettings(capacity, c, 2000));
  }

  private static String select(SkillBank bank) {
    return bank.select(TASK).orElseThrow().skillId();
  }

  @Test
  void emptyTaskHasNoSelection() {
    assertTrue(bank(8, 1.0).select(TASK).isEmpty());
  }

  @Test
  void untriedSkillsArePickedFirstInTheOrderTheyArrived() {
    SkillBank bank = bank(8, 1.0);
    String a = bank.add(skill(TASK, "a")).skillId();
    String b = bank.add(skill(TASK, "b")).skillId();
    String c = bank.add(skill(TASK, "c")).skillId();
    assertEquals(a, select(bank));
    bank.recordReward(TASK, a, 1.0); // a is now the best by far, yet untried b and c still come first
    assertEquals(b, select(bank));
    bank.recordReward(TASK, b, 0.0);
    SkillSelection third = bank.select(TASK).orElseThrow();
    assertEquals(c, third.skillId());
    assertEquals(Double.POSITIVE_INFINITY, third.score());
    assertEquals(3, bank.taskSelections(TASK));
  }

  @Test
  void ucbScoreMatchesHandComputation() {
    // c = 1; after both are tried, each step below states the two scores computed by hand.
    SkillBank bank = bank(8, 1.0);
    String a = bank.add(skill(TASK, "a")).skillId();
    String b = bank.add(skill(TASK, "b")).skillId();
    assertEquals(a, select(bank));
    bank.recordReward(TASK, a, 1.0);
    assertEquals(b, select(bank));
    bank.recordReward(TASK, b, 0.2);
    // N = 2: a = 1 + sqrt(ln2/1) = 1.8326 beats b = 0.2 + 0.8326
    assertEquals(a, select(bank));
    bank.recordReward(TASK, a, 0.0);
    // N = 3: a = 0.5 + sqrt(ln3/2) = 1.2411, b = 0.2 + sqrt(ln3) = 1.2481 -> b
    SkillSelection pick = bank.select(TASK).orElseThrow();
    assertEquals(b, pick.skillId());
    assertEquals(0.2 + Math.sqrt(Math.log(3)), pick.score(), 1e-12);
    bank.recordReward(TASK, b, 0.2);
    assertEquals(a, select(bank)); // N = 4: a = 0.5 + sqrt(ln4/2) = 1.3326, b = 0.2 + sqrt(ln4/2) = 1.0326
    bank.recordReward(TASK, a, 0.5);

    List<SkillStats> stats = bank.skills(TASK);
    SkillStats sa = stats.get(0);
    assertEquals(3, sa.selections());
    assertEquals(0.5, sa.meanReward(), 1e-12);
    assertEquals(0.5 + Math.sqrt(Math.log(5) / 3), sa.ucb(5, 1.0), 1e-12);
    assertEquals(0.2 + 2.0 * Math.sqrt(Math.log(5) / 2), stats.get(1).ucb(5, 2.0), 1e-12);
  }

  @Test
  void greedyWithoutExplorationAndTiesGoToTheOlderSkill() {
    SkillBank bank = bank(8, 0.0);
    String a = bank.add(skill(TASK, "a")).skillId();
    String b = bank.add(skill(TASK, "b")).skillId();
    select(bank);
    bank.recordReward(TASK, a, 0.4);
    select(bank);
    bank.recordReward(TASK, b, 0.4);
    for (int i = 0; i < 5; i++) {
      assertEquals(a, select(bank), "equal scores must go to the older skill");
    }
    bank.recordReward(TASK, b, 0.6); // b's mean -> 0.5
    assertEquals(b, select(bank));
  }

  @Test
  void bestSkillsShareConvergesUnderFixedRewardStreams() {
    SkillBank bank = bank(8, 1.0);
    double[] p = {0.2, 0.5, 0.8};
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      ids[i] = bank.add(skill(TASK, "arm" + i)).skillId();
    }
    Random random = new Random(7);
    int[] firstHalf = new int[3];
    int[] secondHalf = new int[3];
    int rounds = 4000;
    for (int t = 0; t < rounds; t++) {
      String id = select(bank);
      int arm = List.of(ids).indexOf(id);
      (t < rounds / 2 ? firstHalf : secondHalf)[arm]++;
      bank.recordReward(TASK, id, random.nextDouble() < p[arm] ? 1.0 : 0.0);
    }
    double shareFirst = firstHalf[2] / (rounds / 2.0);
    double shareSecond = secondHalf[2] / (rounds / 2.0);
    assertTrue(shareSecond > 0.85, "best arm share in the second half: " + shareSecond);
    assertTrue(shareSecond > shareFirst, shareFirst + " -> " + shareSecond);
  }

  @Test
  void identicalTextIsADuplicateWhateverTheProvenance() {
    SkillBank bank = bank(8, 1.0);
    Skill first = skill(TASK, "a");
    String id = bank.add(first).skillId();
    AddResult again = bank.add(first.withProvenance(new Skill.Provenance(TASK, "other", -1.0, 9, "openai:m")));
    assertEquals(new AddResult.Duplicate(id), again);
    assertEquals(1, bank.skills(TASK).size());
    assertEquals("traj-a", bank.skills(TASK).get(0).skill().provenance().trajectoryId());
    // the same text under another task is a different buffer's skill
    assertInstanceOf(AddResult.Added.class, bank.add(skill("sokoban/skill-sd/train/002", "a")));
  }

  @Test
  void fullBufferEvictsTheLowestMeanAmongTriedSkills() {
    SkillBank bank = bank(3, 1.0);
    String a = bank.add(skill(TASK, "a")).skillId();
    String b = bank.add(skill(TASK, "b")).skillId();
    String c = bank.add(skill(TASK, "c")).skillId();
    AddResult refused = bank.add(skill(TASK, "d"));
    assertInstanceOf(AddResult.Refused.class, refused, "no skill tried yet: nothing may be evicted");
    assertEquals(3, bank.skills(TASK).size());

    select(bank);
    bank.recordReward(TASK, a, 0.9);
    select(bank);
    bank.recordReward(TASK, b, 0.1);
    AddResult replaced = bank.add(skill(TASK, "d"));
    assertEquals(new AddResult.Replaced(replaced.skillId(), b, 0.1), replaced);
    List<String> left = bank.skills(TASK).stream().map(SkillStats::id).toList();
    assertEquals(List.of(a, c, replaced.skillId()), left);
    assertFalse(bank.recordReward(TASK, b, 1.0), "an evicted skill takes no reward");
    for (int i = 0; i < 20; i++) {
      bank.add(skill(TASK, "new" + i));
      String id = select(bank);
      bank.recordReward(TASK, id, 0.5);
      assertTrue(bank.skills(TASK).size() <= 3);
    }
    assertEquals(3, bank.skills(TASK).size());
  }

  @Test
  void oversizedSkillIsRejected() {
    SkillBank bank = new SkillBank(new SkillBankSettings(8, 1.0, 5));
    assertThrows(SkillFormatException.class, () -> bank.add(skill(TASK, "long text")));
    assertEquals(0, bank.size());
  }

  @Test
  void persistenceRoundTripsSkillsAndStatistics(@TempDir Path dir) throws IOException {
    SkillBank bank = bank(3, 1.0);
    String a = bank.add(skill(TASK, "a")).skillId();
    String b = bank.add(skill(TASK, "b")).skillId();
    bank.add(skill("appworld/train/7", "x"));
    select(bank);
    bank.recordReward(TASK, a, 0.25);
    select(bank);
    bank.recordReward(TASK, b, 1.0 / 3.0);
    select(bank);
    bank.recordReward(TASK, b, 0.7);
    bank.save(dir);
    assertTrue(Files.readString(dir.resolve(SkillBank.FILE_NAME)).contains("\"golden_workflow\""));

    SkillBank restored = SkillBank.restore(dir, bank.settings());
    assertEquals(bank.tasks(), restored.tasks());
    for (String task : bank.tasks()) {
      assertEquals(bank.skills(task), restored.skills(task));
      assertEquals(bank.taskSelections(task), restored.taskSelections(task));
    }
    // both continue identically
    for (int i = 0; i < 6; i++) {
      assertEquals(bank.select(TASK), restored.select(TASK));
      String id = bank.skills(TASK).get(i % 2).id();
      bank.recordReward(TASK, id, i * 0.1);
      restored.recordReward(TASK, id, i * 0.1);
    }
    assertEquals(bank.add(skill(TASK, "z")), restored.add(skill(TASK, "z")));
  }

  @Test
  void missingOrCorruptFileIsReported(@TempDir Path dir) throws IOException {
    assertThrows(NoSuchFileException.class, () -> SkillBank.restore(dir, SkillBankSettings.defaults()));
    SkillBank bank = bank(3, 1.0);
    bank.add(skill(TASK, "a"));
    bank.save(dir);
    Path file = dir.resolve(SkillBank.FILE_NAME);
    Files.writeString(file, Files.readString(file).replace("\"success a\"", "\"tampered\""));
    IOException e = assertThrows(IOException.class, () -> SkillBank.restore(dir, SkillBankSettings.defaults()));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("does not match its text"),
        e.getMessage());
    bank.add(skill(TASK, "b"));
    bank.save(dir);
    e = assertThrows(IOException.class, () -> SkillBank.restore(dir, new SkillBankSettings(1, 1.0, 2000)));
    assertTrue(e.getMessage().contains("over the configured capacity 1"), e.getMessage());
  }

  @Test
  void listingShowsEachTasksStatistics() {
    SkillBank bank = bank(8, 1.0);
    assertEquals("(empty bank)\n", BankListing.render(bank));
    String a = bank.add(skill(TASK, "a")).skillId();
    String b = bank.add(skill(TASK, "b")).skillId();
    select(bank);
    bank.recordReward(TASK, a, 0.25);
    String text = BankListing.render(bank);
    assertTrue(text.startsWith("task sokoban/skill-sd/train/001: 2 skills, N = 1 selection\n"), text);
    // a: n = 1, mean 0.25, UCB = 0.25 + sqrt(ln 1 / 1) = 0.25; b: untried
    assertTrue(text.contains("  " + a + "      1        1    0.250     0.250  analyst, trajectory traj-a, weights v1,"
        + " reward 0.50\n    workflow: workflow a\n"), text);
    assertTrue(text.contains("  " + b + "      0        0    0.000   untried  analyst"), text);
  }

  @Test
  void concurrentUseKeepsTheCountsConsistent() throws Exception {
    SkillBank bank = bank(8, 1.0);
    for (String tag : List.of("a", "b", "c")) {
      bank.add(skill(TASK, tag));
    }
    int threads = 4;
    int rounds = 2_000;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < rounds; i++) {
            SkillSelection s = bank.select(TASK).orElseThrow();
            bank.recordReward(TASK, s.skillId(), i % 2);
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * rounds, bank.taskSelections(TASK));
    assertEquals(threads * rounds, bank.skills(TASK).stream().mapToLong(SkillStats::selections).sum());
    assertEquals(threads * rounds, bank.skills(TASK).stream().mapToLong(SkillStats::rewards).sum());
  }

  /** Tasks a, b share buffer "shape:1"; c has its own. */
  private static String shape(String task) {
    return task.endsWith("/c") ? task : "shape:1";
  }

  @Test
  void tasksWithOneBufferKeySelectEachOthersSkillsAndShareTheirStatistics() {
    SkillBank bank = new SkillBank(new SkillBankSettings(8, 1.0, 2000), SkillBankTest::shape);
    String fromA = bank.add(skill("t/a", "a")).skillId();
    assertTrue(bank.select("t/c").isEmpty(), "c has its own, empty buffer");
    SkillSelection forB = bank.select("t/b").orElseThrow();
    assertEquals(fromA, forB.skillId());
    assertEquals("t/b", forB.taskId(), "the selection names the task it was made for");
    assertEquals("t/a", forB.skill().provenance().taskId());
    assertTrue(bank.recordReward("t/b", fromA, 0.75));
    String fromB = bank.add(skill("t/b", "b")).skillId();
    assertEquals(fromB, bank.select("t/a").orElseThrow().skillId(), "untried, so chosen first, for a too");
    assertEquals(List.of("shape:1"), bank.tasks());
    assertEquals(2, bank.taskSelections("t/a"));
    assertEquals(2, bank.taskSelections("shape:1"));
    assertEquals(0.75, bank.skills("shape:1").get(0).meanReward());
    assertInstanceOf(AddResult.Added.class, bank.add(skill("t/c", "c")));
    assertEquals(1, bank.skills("t/c").size());
    assertEquals(List.of("shape:1", "t/c"), bank.tasks());
  }

  @Test
  void aSharedBankRestoresWithItsKeysAndRefusesOtherKeys(@TempDir Path dir) throws IOException {
    SkillBank bank = new SkillBank(new SkillBankSettings(8, 1.0, 2000), SkillBankTest::shape);
    bank.add(skill("t/a", "a"));
    bank.add(skill("t/b", "b"));
    bank.select("t/a");
    bank.save(dir);
    SkillBank back = SkillBank.restore(dir, new SkillBankSettings(8, 1.0, 2000), SkillBankTest::shape);
    assertEquals(bank.skills("shape:1"), back.skills("shape:1"));
    assertEquals(1, back.taskSelections("t/b"));
    String listing = BankListing.render(back);
    assertTrue(listing.startsWith("task shape:1: 2 skills, N = 1 selection\n"), listing);
    assertTrue(listing.contains("analyst, task t/a, trajectory traj-a,"), listing);
    assertTrue(listing.contains("analyst, task t/b, trajectory traj-b,"), listing);
    IOException e = assertThrows(IOException.class, () -> SkillBank.restore(dir, new SkillBankSettings(8, 1.0, 2000)));
    assertTrue(e.getMessage().contains("a skill of task 'shape:1' names task 't/a' in its provenance"), e.getMessage());
    SkillBank viewed = SkillBank.restore(dir, new SkillBankSettings(8, 1.0, 2000), null);
    assertEquals(2, viewed.skills("shape:1").size());
  }

  @Test
  void restoringUnderOtherSharedKeysNamesTheSetting(@TempDir Path dir) throws IOException {
    SkillBank bank = new SkillBank(new SkillBankSettings(8, 1.0, 2000), SkillBankTest::shape);
    bank.add(skill("t/a", "a"));
    bank.save(dir);
    IOException e = assertThrows(IOException.class,
        () -> SkillBank.restore(dir, new SkillBankSettings(8, 1.0, 2000), t -> "shape:2"));
    assertTrue(e.getMessage().contains("a skill in buffer 'shape:1' comes from task 't/a', whose buffer is 'shape:2' "
        + "(was the bank written with another skillsd.train.skill-retrieval?)"), e.getMessage());
  }
}
