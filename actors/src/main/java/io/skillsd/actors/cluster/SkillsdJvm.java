package io.skillsd.actors.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM that runs the skillsd command line as this JVM does: the same {@code java}, class path and
 * JVM flags ({@code -D}, {@code -X}, module and native-access options), and DJL's offline settings in its
 * environment unless they are set. Local cluster nodes are such JVMs, and so are the tests that send a real
 * process signals.
 */
public final class SkillsdJvm {

  /** The command line's main class. */
  public static final String MAIN = "io.skillsd.actors.cli.SkillsdCli";

  private SkillsdJvm() {}

  /** {@code java <this JVM's flags> -cp <this class path> SkillsdCli <args>}. */
  public static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-D") || arg.startsWith("-X") || arg.startsWith("--add-opens")
          || arg.startsWith("--enable-native-access")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MAIN);
    cmd.addAll(args);
    return cmd;
  }

  /** A process builder for {@link #command}, with {@code DJL_OFFLINE} and {@code OPT_OUT_TRACKING} set. */
  public static ProcessBuilder processBuilder(List<String> args) {
    ProcessBuilder pb = new ProcessBuilder(command(args));
    pb.environment().putIfAbsent("DJL_OFFLINE", "true");
    pb.environment().putIfAbsent("OPT_OUT_TRACKING", "true");
    return pb;
  }
}
