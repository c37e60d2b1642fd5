package io.skillsd.actors.cli;

import io.skillsd.policies.compute.EngineProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skillsd doctor}: checks the machine can run skillsd. Each line is OK, WARN or FAIL with a hint on
 * how to fix it; the exit code is 1 if anything failed.
 */
@Command(name = "doctor", description = "Check this machine: JDK, cores, memory, DJL engine, tokenizers, GPU, run directory.")
final class DoctorCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--run-dir", defaultValue = "runs", description = "Run directory to check for writing (default: ${DEFAULT-VALUE}).")
  Path runDir;

  enum Status { OK, WARN, FAIL }

  record Check(Status status, String name, String detail, String hint) {}

  interface Probe {
    Check run() throws Exception;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Check> checks = new ArrayList<>();
    checks.add(guard("java", this::java, "install JDK 17 or newer and put it first on PATH (or set JAVA_HOME)"));
    checks.add(guard("cpu", this::cores, ""));
    checks.add(guard("memory", this::memory, "raise the heap with SKILLSD_JAVA_OPTS=-Xmx8g"));
    checks.add(guard("djl-offline", this::offline, "run through ./skillsd, which sets -Dai.djl.offline=true, DJL_OFFLINE=true and OPT_OUT_TRACKING=true"));
    checks.add(guard("pytorch", this::engine, "the PyTorch native library failed to load: check that pytorch-native-cpu is on the class path (rebuild with ./skillsd), or that PYTORCH_LIBRARY_PATH points to a libtorch 2.7.1"));
    checks.add(guard("tokenizers", this::tokenizers, "the HuggingFace tokenizers native library failed to load; check that ~/.djl.ai is writable (or set DJL_CACHE_DIR)"));
    checks.add(guard("environments", this::environments, "fix or remove the jar or folder named above "
        + "(SKILLSD_CLASSPATH; README, \"Adding an environment\")"));
    checks.add(guard("run-dir", this::runDirectory, "make the folder writable or choose another with -Dskillsd.run.dir=<path>"));
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(8);
    boolean failed = false;
    for (Check c : checks) {
      out.printf("%-4s  %-" + width + "s  %s%n", c.status(), c.name(), c.detail());
      if (c.status() != Status.OK && !c.hint().isEmpty()) {
        out.printf("      %" + width + "s  hint: %s%n", "", c.hint());
      }
      failed |= c.status() == Status.FAIL;
    }
    out.println(failed ? "Some checks failed." : "All checks passed.");
    out.flush();
    return failed ? 1 : 0;
  }

  private static Check guard(String name, Probe probe, String hint) {
    try {
      Check c = probe.run();
      return new Check(c.status(), name, c.detail(), c.hint().isEmpty() ? hint : c.hint());
    } catch (Throwable e) {
      // a configuration error's message is written for the user; anything else is named by its type
      String detail = e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      return new Check(Status.FAIL, name, detail, hint);
    }
  }

  private Check java() {
    int feature = Runtime.version().feature();
    String detail = "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home");
    return new Check(feature >= 17 ? Status.OK : Status.FAIL, "", detail, "");
  }

  private Check cores() {
    int n = Runtime.getRuntime().availableProcessors();
    return new Check(Status.OK, "", n + " cores available", "");
  }

  private Check memory() {
    long max = Runtime.getRuntime().maxMemory() >> 20;
    long physical = -1;
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      physical = sun.getTotalMemorySize() >> 20;
    }
    String detail = "max heap " + max + " MiB" + (physical > 0 ? ", physical " + physical + " MiB" : "");
    return new Check(max >= 1024 ? Status.OK : Status.WARN, "", detail, "");
  }

  private Check offline() {
    boolean prop = Boolean.getBoolean("ai.djl.offline");
    boolean env = "true".equalsIgnoreCase(System.getenv("DJL_OFFLINE"));
    boolean tracking = "true".equalsIgnoreCase(System.getenv("OPT_OUT_TRACKING"));
    String detail = "ai.djl.offline=" + prop + ", DJL_OFFLINE=" + env + ", OPT_OUT_TRACKING=" + tracking;
    return new Check(prop && env && tracking ? Status.OK : Status.FAIL, "", detail, "");
  }

  private Check engine() {
    EngineProbe.EngineReport r = EngineProbe.probeEngine();
    String detail = r.engine() + " " + r.engineVersion() + ", libtorch " + r.flavour() + ", matmul OK, device "
        + r.device() + (r.gpuCount() > 0 ? " (" + r.gpuCount() + " GPU)" : " (no GPU: training runs on the CPU)");
    return new Check(Status.OK, "", detail, "");
  }

  private Check tokenizers() throws IOException {
    Path scratch = Files.createTempDirectory("skillsd-doctor");
    try {
      EngineProbe.probeTokenizers(scratch);
      return new Check(Status.OK, "", "HuggingFace tokenizers native library loaded and encoded a test sentence", "");
    } finally {
      Files.deleteIfExists(scratch);
    }
  }

  /** The environments on the class path; those from elsewhere than skillsd's own say where from. */
  private Check environments() {
    io.skillsd.environments.EnvironmentRegistry registry = io.skillsd.environments.EnvironmentRegistry.load();
    List<String> names = new ArrayList<>();
    for (String name : registry.names()) {
      names.add(name + registry.origin(name).map(o -> " (" + o + ")").orElse(""));
    }
    return new Check(Status.OK, "", String.join(", ", names), "");
  }

  private Check runDirectory() throws IOException {
    Files.createDirectories(runDir);
    Path probe = Files.createTempFile(runDir, ".doctor", ".tmp");
    Files.delete(probe);
    return new Check(Status.OK, "", runDir.toAbsolutePath().normalize() + " is writable", "");
  }
}
