package io.skillsd.actors.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several experiment processes sharing one experiment directory take each run once. */
class RunClaimTest {

  @TempDir
  Path out;

  private Path claimFile(String run) {
    return out.resolve(RunClaim.DIR).resolve(run);
  }

  private static String host() throws Exception {
    return InetAddress.getLocalHost().getHostName();
  }

  @Test
  void aRunTakenByThisProcessIsHeldUntilClosed() throws Exception {
    RunClaim.Attempt a = RunClaim.take(out, "grpo-s0");
    RunClaim claim = assertInstanceOf(RunClaim.Taken.class, a).claim();
    assertEquals(ProcessHandle.current().pid() + " " + host(), Files.readString(claimFile("grpo-s0")).strip());
    claim.close();
    assertFalse(Files.exists(claimFile("grpo-s0")), "closing gives the run back");
  }

  @Test
  void aRunHeldByAnotherLiveProcessIsLeftToIt() throws Exception {
    long other = ProcessHandle.current().parent().orElseThrow().pid(); // the build that runs this test: alive
    Files.createDirectories(claimFile("grpo-s1").getParent());
    Files.writeString(claimFile("grpo-s1"), other + " " + host() + "\n");
    RunClaim.HeldElsewhere h = assertInstanceOf(RunClaim.HeldElsewhere.class, RunClaim.take(out, "grpo-s1"));
    assertEquals("process " + other + " on " + host(), h.holder());
    assertEquals(claimFile("grpo-s1"), h.file());
    assertEquals(other + " " + host(), Files.readString(claimFile("grpo-s1")).strip(), "the claim is untouched");
  }

  @Test
  void aClaimLeftByAProcessThatEndedIsTakenOver() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    long pid = p.pid();
    p.destroy();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    Files.createDirectories(claimFile("opd-s0").getParent());
    Files.writeString(claimFile("opd-s0"), pid + " " + host() + "\n");
    assertTrue(RunClaim.stale(pid + " " + host()));
    try (RunClaim claim = assertInstanceOf(RunClaim.Taken.class, RunClaim.take(out, "opd-s0")).claim()) {
      assertEquals(ProcessHandle.current().pid() + " " + host(), Files.readString(claimFile("opd-s0")).strip());
    }
  }

  @Test
  void aClaimMadeOnAnotherHostCannotBeCheckedAndIsRespected() throws Exception {
    String elsewhere = "1 another-host-" + host();
    assertFalse(RunClaim.stale(elsewhere));
    Files.createDirectories(claimFile("skill-sd-s2").getParent());
    Files.writeString(claimFile("skill-sd-s2"), elsewhere + "\n");
    assertInstanceOf(RunClaim.HeldElsewhere.class, RunClaim.take(out, "skill-sd-s2"));
  }
}
