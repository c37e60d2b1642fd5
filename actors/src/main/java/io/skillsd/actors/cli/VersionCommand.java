package io.skillsd.actors.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code skillsd version}: the skillsd version and the versions of the stack under it. */
@Command(name = "version", description = "Print the skillsd version and the versions of Java, Akka and DJL.")
final class VersionCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The version of this build: the jar's Implementation-Version, or "dev" when run from classes. */
  static String skillsdVersion() {
    String v = SkillsdCli.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
  }

  /** Shared with {@code skillsd --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
          "skillsd " + skillsdVersion(),
          "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
          "akka " + akka.Version.current(),
          "djl " + io.skillsd.policies.compute.EngineProbe.djlVersion()
      };
    }
  }
}
