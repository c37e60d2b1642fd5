package io.skillsd.actors.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One experiment process's hold on one run of the experiment, so that several {@code skillsd experiment}
 * commands with the same {@code --out} share the runs between them (one process per core, say): each takes
 * a run before it trains or evaluates it, and passes over the runs another live process holds.
 *
 * <p>A claim is the file {@code <out>/.claims/<run id>}, created atomically and holding the process id and
 * the host name. It is removed when the process is done with the run; a claim left by a process that no
 * longer runs on this host (killed, crashed) is taken over. A claim made on another host cannot be checked
 * and is respected: its error message names the file to remove.
 */
final class RunClaim implements AutoCloseable {

  /** The folder of the claims, inside the experiment directory. */
  static final String DIR = ".claims";

  private final Path file;

  private RunClaim(Path file) {
    this.file = file;
  }

  /** What holding a run came to: this process holds it, or another one does (described). */
  sealed interface Attempt permits Taken, HeldElsewhere {}

  /** This process now holds the run; close the claim when done with it. */
  record Taken(RunClaim claim) implements Attempt {}

  /** Another live process (or one on another host) holds the run. */
  record HeldElsewhere(String holder, Path file) implements Attempt {}

  /** Tries to take run {@code runId} of the experiment in {@code out} for this process. */
  static Attempt take(Path out, String runId) {
    Path file = out.resolve(DIR).resolve(runId);
    String self = ProcessHandle.current().pid() + " " + host();
    try {
      Files.createDirectories(file.getParent());
      for (int attempt = 0; ; attempt++) {
        try {
          Files.writeString(file, self + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
          return new Taken(new RunClaim(file));
        } catch (FileAlreadyExistsException e) {
          Optional<String> holder = read(file);
          if (holder.isEmpty()) {
            continue; // removed between the two calls: try again
          }
          if (holder.get().equals(self) || (attempt == 0 && stale(holder.get()))) {
            Files.deleteIfExists(file); // ours from an earlier attempt, or its process is gone: take it over
            continue;
          }
          return new HeldElsewhere(describe(holder.get()), file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim run " + runId + " in " + out, e);
    }
  }

  /** Gives the run back: other processes may take it from now on. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the claim " + file, e);
    }
  }

  private static Optional<String> read(Path file) throws IOException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Optional.of("? ?") : Optional.of(text);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Whether the claim {@code "<pid> <host>"} was made on this host by a process that has ended. */
  static boolean stale(String holder) {
    String[] parts = holder.split(" ", 2);
    if (parts.length < 2 || !parts[1].equals(host())) {
      return false;
    }
    try {
      long pid = Long.parseLong(parts[0]);
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String describe(String holder) {
    String[] parts = holder.split(" ", 2);
    return parts.length == 2 ? "process " + parts[0] + " on " + parts[1] : holder;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
