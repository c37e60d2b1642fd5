package io.skillsd.actors.cli;

import io.skillsd.actors.cluster.LocalCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skillsd cluster}: a whole cluster on this machine for a single-machine simulation — a learner JVM
 * and {@code N} rollout JVMs on 127.0.0.1 — running one {@code train}; every JVM is stopped when the run
 * ends or this command is interrupted.
 */
@Command(name = "cluster", description = "Run 'train' on a local cluster: one learner JVM and N rollout JVMs on 127.0.0.1.",
    footer = {"", "Examples:",
        "  skillsd cluster --rollout-nodes 2 -- train -D skillsd.train.iterations=5",
        "  skillsd cluster --rollout-nodes 3 -- train --config examples/sokoban-skill-sd.conf",
        "", "See docs/CLUSTER.md."})
public final class ClusterCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--rollout-nodes", required = true, paramLabel = "N", description = "How many rollout JVMs to start.")
  int rolloutNodes;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Host name every node binds (default ${DEFAULT-VALUE}).")
  String host;

  @Parameters(paramLabel = "train [OPTIONS]", description = "After --: train and its --config / -D options.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    if (command.isEmpty() || !command.get(0).equals("train")) {
      throw new UserError("expected '-- train [--config FILE] [-D KEY=VALUE ...]' after the cluster options", 2);
    }
    List<String> nodeArgs = command.subList(1, command.size());
    if (nodeArgs.contains("--resume")) {
      throw new UserError("--resume is not available in cluster mode", 2);
    }
    try (LocalCluster cluster = LocalCluster.start(host, rolloutNodes, nodeArgs, Optional.empty())) {
      spec.commandLine().getErr().println("skillsd: " + cluster);
      int code = cluster.awaitLearner();
      return code;
    }
  }
}
