package io.skillsd.actors.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C ({@code SIGINT}) and {@code SIGTERM} during long work: the first asks it to stop at the next
 * boundary (a training run: the next iteration, with a checkpoint), the second to stop now (a training run:
 * the iteration in progress is lost, the last checkpoint stays), the third halts the JVM.
 *
 * <p>Without these handlers the JVM's own shutdown would begin at once, and libtorch's static state could
 * be destroyed while the compute thread is still inside a forward or backward pass: the process then dies
 * with a native crash instead of a message. Stopping through the run lets the compute thread finish its
 * message before the JVM exits.
 *
 * <p>A signal the JVM ignores (a background job started with {@code nohup}, or {@code &} in a
 * non-interactive shell, ignores {@code SIGINT}) stays ignored. {@link #close()} puts the previous handlers
 * back.
 */
public final class StopSignals implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> NAMES = List.of("INT", "TERM");

  private final Reaction first;
  private final Reaction second;
  private final AtomicInteger received = new AtomicInteger();
  private final List<Installed> installed = new ArrayList<>();

  private record Installed(Signal signal, SignalHandler previous) {}

  /**
   * What a signal does.
   *
   * @param says printed to stderr after the signal's name, e.g. "stopping after the current iteration"
   * @param does called with the signal's name, e.g. {@code SIGINT}
   */
  public record Reaction(String says, Consumer<String> does) {}

  private StopSignals(Reaction first, Reaction second) {
    this.first = first;
    this.second = second;
  }

  /** Installs the handlers: {@code first} reacts to the first signal, {@code second} to the second. */
  public static StopSignals install(Reaction first, Reaction second) {
    StopSignals s = new StopSignals(first, second);
    for (String name : NAMES) {
      Signal signal = new Signal(name);
      try {
        SignalHandler previous = Signal.handle(signal, s::handle);
        if (previous == SignalHandler.SIG_IGN) {
          Signal.handle(signal, SignalHandler.SIG_IGN); // ignored by whoever started the JVM: keep it so
        } else {
          s.installed.add(new Installed(signal, previous));
        }
      } catch (IllegalArgumentException e) { // the JVM reserves it (-Xrs) or the platform has none
        log.debug("no handler for SIG{}: {}", name, e.getMessage());
      }
    }
    return s;
  }

  private void handle(Signal signal) {
    String name = "SIG" + signal.getName();
    int n = received.incrementAndGet();
    if (n == 1) {
      System.err.println("skillsd: " + name + ": " + first.says() + " (again to stop now)");
      first.does().accept(name);
    } else if (n == 2) {
      System.err.println("skillsd: " + name + ": " + second.says() + " (again to exit at once)");
      second.does().accept(name);
    } else {
      System.err.println("skillsd: " + name + ": exiting at once");
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
  }

  /**
   * The exit status of a command a stop request ended: 128 + the signal's number for a signal's name
   * ({@code SIGINT} 130, {@code SIGTERM} 143), 1 for any other reason.
   */
  public static int exitStatus(String stoppedBy) {
    if (stoppedBy.startsWith("SIG")) {
      try {
        return 128 + new Signal(stoppedBy.substring(3)).getNumber();
      } catch (IllegalArgumentException e) {
        return 1;
      }
    }
    return 1;
  }

  /** Puts the handlers that were there before {@link #install} back. */
  @Override
  public void close() {
    for (Installed i : installed) {
      Signal.handle(i.signal(), i.previous());
    }
    installed.clear();
  }
}
