package io.skillsd.actors.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A whole skillsd cluster on one machine, each node its own JVM (same java, same class path, same JVM
 * flags as this one): one learner on a free port, which is also the seed, and {@code rolloutNodes} rollout
 * nodes on ports of their own choosing. {@link #close} stops every node still running (politely, then by
 * force); a shutdown hook does the same if this JVM is stopped first.
 */
public final class LocalCluster implements AutoCloseable {

  private final Process learner;
  private final List<Process> rollouts;
  private final int learnerPort;
  private final Thread hook;

  private LocalCluster(Process learner, List<Process> rollouts, int learnerPort) {
    this.learner = learner;
    this.rollouts = rollouts;
    this.learnerPort = learnerPort;
    this.hook = new Thread(this::stopAll, "skillsd-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts the nodes. {@code nodeArgs} (e.g. {@code --config f -D k=v}) go to every node; {@code logs}, when
   * present, receives {@code learner.log} and {@code rollout-<i>.log} instead of this process's output.
   */
  public static LocalCluster start(String host, int rolloutNodes, List<String> nodeArgs, Optional<Path> logs) {
    if (rolloutNodes < 1) {
      throw new IllegalArgumentException("--rollout-nodes must be at least 1, was " + rolloutNodes);
    }
    int port = freePort(host);
    String seed = host + ":" + port;
    Process learner = launch(node("learner", host, port, seed, nodeArgs), logs.map(d -> d.resolve("learner.log")));
    List<Process> rollouts = new ArrayList<>();
    try {
      for (int i = 0; i < rolloutNodes; i++) {
        rollouts.add(launch(node("rollout", host, 0, seed, nodeArgs), logs.map(d -> d.resolve("rollout-" + rollouts.size() + ".log"))));
      }
    } catch (RuntimeException e) {
      learner.destroyForcibly();
      rollouts.forEach(Process::destroyForcibly);
      throw e;
    }
    return new LocalCluster(learner, List.copyOf(rollouts), port);
  }

  private static List<String> node(String role, String host, int port, String seed, List<String> nodeArgs) {
    List<String> args = new ArrayList<>(List.of("node", "--role", role, "--host", host, "--port",
        Integer.toString(port), "--seed", seed));
    args.addAll(nodeArgs);
    return args;
  }

  private static Process launch(List<String> args, Optional<Path> log) {
    ProcessBuilder pb = SkillsdJvm.processBuilder(args).redirectErrorStream(true);
    if (log.isPresent()) {
      File f = log.get().toFile();
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(f));
    } else {
      pb.inheritIO();
    }
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command().get(0), e);
    }
  }

  /** A port that was free on {@code host} a moment ago. */
  public static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  public Process learner() {
    return learner;
  }

  public List<Process> rollouts() {
    return rollouts;
  }

  public int learnerPort() {
    return learnerPort;
  }

  /** Waits for the learner (the run) to end and returns its exit code. */
  public int awaitLearner() throws InterruptedException {
    return learner.waitFor();
  }

  /** Waits at most {@code seconds} for the learner; empty if it is still running. */
  public Optional<Integer> awaitLearner(long seconds) throws InterruptedException {
    return learner.waitFor(seconds, TimeUnit.SECONDS) ? Optional.of(learner.exitValue()) : Optional.empty();
  }

  /** Rollout nodes stop by themselves once the learner has left; any still running are stopped. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // this JVM is already shutting down; the hook runs stopAll as well
    }
  }

  private void stopAll() {
    List<Process> all = new ArrayList<>(rollouts);
    all.add(0, learner);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(learner.isAlive() ? 5 : 20);
    for (Process p : all) {
      waitUntil(p, deadline);
    }
    for (Process p : all) {
      if (p.isAlive()) {
        p.destroy();
      }
    }
    long forceAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (Process p : all) {
      waitUntil(p, forceAt);
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  private static void waitUntil(Process p, long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      p.waitFor(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LocalCluster[learner pid " + learner.pid() + " port " + learnerPort + ", rollout pids "
        + rollouts.stream().map(p -> Long.toString(p.pid())).toList() + "]";
  }

}
