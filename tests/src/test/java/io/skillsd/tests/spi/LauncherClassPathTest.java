package io.skillsd.tests.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skillsd.examples.guessnumber.GuessNumberProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./skillsd} launcher itself puts the entries of {@code SKILLSD_CLASSPATH} after its own: the
 * example environment, from its own jar (or class folder), is listed, plays, and an entry that does not exist
 * is refused by name. The launcher runs from a copy of the repository's built artifact (so it has nothing to
 * build), with the java running this test.
 */
class LauncherClassPathTest {

  @TempDir
  Path root;

  /** The example's jar (or, outside a packaged build, its class folder): what a user would name. */
  private final Path plugin = codeSource();

  @BeforeEach
  void launcherWithABuiltArtifact() throws IOException {
    Path home = Path.of(System.getProperty("skillsd.home"));
    Path jar = home.resolve("actors/target/skillsd.jar");
    Path lib = home.resolve("actors/target/lib");
    assertTrue(Files.isRegularFile(jar) && Files.isDirectory(lib),
        "the launcher runs skillsd's built artifact: package the actors module first (mvn package -pl actors -am)");
    Path target = Files.createDirectories(root.resolve("actors/target"));
    Files.copy(home.resolve("skillsd"), root.resolve("skillsd"));
    Files.copy(jar, target.resolve("skillsd.jar"));
    Files.createSymbolicLink(target.resolve("lib"), lib);
    Files.createFile(target.resolve(".skillsd-build-cpu")); // built, and no source here is newer
  }

  /** The links to the real library folder go before the temporary folder is deleted (which would warn). */
  @AfterEach
  void removeLinks() throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path link : paths.filter(Files::isSymbolicLink).toList()) {
        Files.delete(link);
      }
    }
  }

  @Test
  void anEnvironmentInItsOwnJarIsListedAndPlays() throws Exception {
    Run without = launch(Map.of(), "env", "--list");
    assertEquals(0, without.code(), without.output());
    assertTrue(without.output().contains("sokoban"), without.output());
    assertTrue(!without.output().contains("guess-number"), without.output());

    Run list = launch(Map.of("SKILLSD_CLASSPATH", plugin.toString()), "env", "--list");
    assertEquals(0, list.code(), list.output());
    String line = list.output().lines().filter(l -> l.startsWith("guess-number")).findFirst().orElse("");
    assertTrue(line.endsWith("from " + plugin), "the example is listed with where it came from: " + list.output());
    assertTrue(list.output().lines().anyMatch(l -> l.startsWith("sokoban") && !l.contains(" from /")),
        "skillsd's own environments name no origin: " + list.output());

    Run solve = launch(Map.of("SKILLSD_CLASSPATH", "/nonexistent-but-empty-entries-are-skipped::" + plugin), "env",
        "guess-number", "--solve");
    assertEquals(1, solve.code(), "an entry that does not exist is refused: " + solve.output());
    assertTrue(solve.output().contains("SKILLSD_CLASSPATH names /nonexistent-but-empty-entries-are-skipped, which "
        + "does not exist"), solve.output());

    Run played = launch(Map.of("SKILLSD_CLASSPATH", "::" + plugin + ":"), "env", "guess-number", "--solve");
    assertEquals(0, played.code(), played.output());
    assertTrue(played.output().contains("\"success\":true"), "the example's reference agent wins: " + played.output());

    Run contract = launch(Map.of("SKILLSD_CLASSPATH", plugin.toString()), "env", "guess-number", "--check");
    assertEquals(0, contract.code(), contract.output());
    assertTrue(contract.output().contains("OK    independence") && contract.output().endsWith(
        "The environment keeps the contract.\n"), contract.output());
  }

  @Test
  void doctorListsTheEnvironmentsAndFailsOnABrokenServicesEntry() throws Exception {
    Run good = launch(Map.of("SKILLSD_CLASSPATH", plugin.toString()), "doctor");
    assertTrue(good.output().lines().anyMatch(l -> l.matches("OK +environments +guess-number \\(" + java.util.regex.Pattern.quote(
        plugin.toString()) + "\\), miniappworld, sokoban")), good.output());

    // a folder whose services file names a class that nothing provides
    Path broken = Files.createDirectories(root.resolve("broken/META-INF/services"));
    Files.writeString(broken.resolve("io.skillsd.environments.EnvironmentProvider"), "com.example.Missing\n");
    Map<String, String> env = Map.of("SKILLSD_CLASSPATH", root.resolve("broken").toString());
    Run doctor = launch(env, "doctor");
    assertEquals(1, doctor.code(), doctor.output());
    assertTrue(doctor.output().lines().anyMatch(l -> l.matches("FAIL +environments +an environment on the class path "
        + "cannot be loaded: .*Provider com.example.Missing not found \\(listed in file:.*/broken/META-INF/.*")),
        doctor.output());
    Run list = launch(env, "env", "--list");
    assertEquals(2, list.code(), list.output());
    assertTrue(list.output().startsWith("skillsd: an environment on the class path cannot be loaded"), list.output());
  }

  @Test
  void anUnknownEnvironmentSaysHowOneIsPluggedIn() throws Exception {
    Run run = launch(Map.of(), "env", "guess-number", "--solve");
    assertTrue(run.code() != 0, run.output());
    assertTrue(run.output().contains("unknown environment 'guess-number'")
        && run.output().contains("SKILLSD_CLASSPATH"), run.output());
  }

  private record Run(int code, String output) {}

  private Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("skillsd").toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(root, "launch", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("SKILLSD_CLASSPATH");
    pb.environment().remove("SKILLSD_GPU");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended) {
      throw new AssertionError("the launcher did not end within 120 s: " + output);
    }
    return new Run(p.exitValue(), output);
  }

  private static Path codeSource() {
    try {
      return Path.of(GuessNumberProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
