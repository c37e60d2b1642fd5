package io.skillsd.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import io.skillsd.actors.policy.TrainingModels;
import io.skillsd.actors.settings.SettingsReader;
import io.skillsd.actors.settings.SkillsdSettings;
import io.skillsd.actors.train.TrainSettings;
import io.skillsd.actors.train.TrainingRun;
import io.skillsd.environments.Environment;
import io.skillsd.environments.EnvironmentProvider;
import io.skillsd.environments.EnvironmentRegistry;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rollout node: loads the policy model named by the settings (the learner then sends it the current
 * weights), starts the actor system as a cluster member with the {@code rollout} role, registers one
 * {@link RolloutWorkerActor} with the Receptionist, and runs until the learner leaves the cluster, this node
 * is downed, or the JVM is asked to stop.
 */
public final class RolloutNode {

  private static final Logger log = LoggerFactory.getLogger(RolloutNode.class);

  private RolloutNode() {}

  private sealed interface Event permits LearnerGone {}

  /** A change of a member's status; the node reacts to the learner's leaving, exiting or removal. */
  private record LearnerGone(ClusterEvent.MemberEvent change) implements Event {}

  /** Runs the node; returns when its actor system has terminated. */
  public static void run(SkillsdSettings settings) {
    TrainingRun.applyComputeSettings(settings);
    TrainSettings train = TrainSettings.from(settings);
    EnvironmentProvider provider = EnvironmentRegistry.load().provider(settings.environment().name());
    Map<String, String> options = settings.environment().options();
    provider.create(options); // bad environment options fail here, before the node joins
    Supplier<Environment> environments = () -> provider.create(options);
    RolloutWorkerActor.Settings worker = new RolloutWorkerActor.Settings(train.maxNewTokens(), train.topP(),
        train.maxBatch(), train.deterministic(), train.batching(), train.maxTurns() > 0 ? train.maxTurns() : 1_000,
        train.prefixCacheMinTokens());
    try (TrainingModels models = TrainingModels.load(train.model(), train.modelSeed(),
        SettingsReader.label(settings.compute().device()))) {
      ActorSystem<Event> system = ActorSystem.create(guardian(models, environments, worker), ClusterNode.SYSTEM_NAME,
          settings.config());
      Runtime.getRuntime().addShutdownHook(new Thread(system::terminate, "skillsd-rollout-shutdown"));
      try {
        system.getWhenTerminated().toCompletableFuture().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        system.terminate();
      } catch (ExecutionException e) {
        log.warn("the rollout node stopped with {}", e.getCause().toString());
      }
    }
  }

  private static Behavior<Event> guardian(TrainingModels models, Supplier<Environment> environments,
      RolloutWorkerActor.Settings settings) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      akka.actor.Address self = cluster.selfMember().address();
      String node = self.host().get() + ":" + self.port().get();
      ActorRef<RolloutWorkerProtocol.Command> worker = ctx.spawn(
          RolloutWorkerActor.create("rollout", models, environments, settings, node), "rollout-worker",
          DispatcherSelector.fromConfig("skillsd-compute-dispatcher"));
      ctx.watch(worker);
      ctx.getSystem().receptionist().tell(Receptionist.register(RolloutWorkerProtocol.SERVICE_KEY, worker));
      // The learner leaves at the end of its run: stop as soon as it says so (Leaving), rather than when it
      // is finally removed, which after its JVM has gone takes an unreachability timeout and a downing.
      cluster.subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberEvent.class, LearnerGone::new), ClusterEvent.MemberEvent.class));
      ctx.getLog().info("rollout node {} up; worker registered, joining {}", node,
          ctx.getSystem().settings().config().getStringList("akka.cluster.seed-nodes"));
      return Behaviors.receive(Event.class)
          .onMessage(LearnerGone.class, g -> {
            boolean leaving = g.change() instanceof ClusterEvent.MemberLeft || g.change() instanceof ClusterEvent.MemberExited
                || g.change() instanceof ClusterEvent.MemberRemoved;
            if (leaving && g.change().member().hasRole(ClusterNode.Role.LEARNER.label())) {
              ctx.getLog().info("the learner {} left the cluster ({}); this rollout node stops", g.change().member().address(),
                  g.change().member().status());
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .onSignal(akka.actor.typed.Terminated.class, t -> {
            ctx.getLog().error("the rollout worker stopped; this rollout node stops");
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
