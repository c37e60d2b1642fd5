package io.skillsd.actors.cli;

import io.skillsd.actors.cluster.ClusterNode;
import io.skillsd.actors.cluster.ClusterRolloutPool;
import io.skillsd.actors.cluster.RolloutNode;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainSettings;
import io.skillsd.actors.train.TrainingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skillsd node}: one node of a skillsd cluster. The learner node trains (as {@code skillsd train}
 * does) with its episodes played on the rollout nodes; a rollout node serves episodes until the learner
 * leaves. Every node takes the same {@code --config} and {@code -D} settings.
 */
@Command(name = "node", description = "Start one node of a skillsd cluster: the learner (trains) or a rollout node.",
    footer = {"", "Examples:",
        "  skillsd node --role learner --seed 127.0.0.1:25520 -D skillsd.train.iterations=5",
        "  skillsd node --role rollout --seed 127.0.0.1:25520 -D skillsd.train.iterations=5",
        "", "See docs/CLUSTER.md."})
public final class NodeCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--role", required = true, paramLabel = "learner|rollout", description = "This node's role.")
  String role;

  @Option(names = "--seed", required = true, paramLabel = "HOST:PORT",
      description = "The node to join: the learner's address (the learner names its own).")
  String seed;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Host name to bind and advertise (default ${DEFAULT-VALUE}: reachable from this machine only).")
  String host;

  @Option(names = "--port", description = "Port to bind (learner: the seed's port; rollout: 0 = any free port).")
  Integer port;

  @Option(names = "--config", description = "A HOCON file of settings (see the reference.conf files).")
  Path config;

  @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Override one setting (skillsd.* or akka.*).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() {
    ClusterNode.Role r;
    try {
      r = ClusterNode.Role.valueOf(role.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("--role must be learner or rollout, was '" + role + "'", 2);
    }
    int seedPort = Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1).replaceAll("\\D", "0"));
    ClusterNode node = new ClusterNode(r, host, port != null ? port : r == ClusterNode.Role.LEARNER ? seedPort : 0, seed);
    SkillsdSettings settings = node.settings(config, overrides);
    if (r == ClusterNode.Role.ROLLOUT) {
      RolloutNode.run(settings);
      return 0;
    }
    if (TrainSettings.from(settings).teacherRollouts()) {
      throw new UserError("skillsd.train.rollouts = teacher is not available in cluster mode (rollout nodes hold the "
          + "student only); run it with skillsd train", 2);
    }
    TrainingRun.Result result = TrainingRun.run(settings, Optional.of(ClusterRolloutPool::create));
    var out = spec.commandLine().getOut();
    Map<String, Object> s = result.summary();
    out.printf("episodes: launched %s, completed %s, retried %s, failed %s%n",
        s.get("launched"), s.get("completed"), s.get("retried"), s.get("failed"));
    out.println("run directory: " + result.runDir());
    out.println(io.skillsd.actors.train.TrainCommand.outcomeLine(result));
    out.flush();
    return io.skillsd.actors.train.TrainCommand.exitCode(result);
  }
}
