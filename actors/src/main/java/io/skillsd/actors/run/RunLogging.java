package io.skillsd.actors.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes every log event of the process into {@code runs/<id>/logs/skillsd.jsonl} as one JSON object per
 * line (with the MDC: {@code runId}, {@code role}, {@code episodeId}, {@code turn}, {@code version}, and
 * Akka's {@code akkaSource}), next to the human-readable console.
 */
public final class RunLogging implements AutoCloseable {

  /** The JSON-lines log file inside {@code logs/}. */
  public static final String LOG_FILE = "skillsd.jsonl";

  /** MDC keys skillsd sets. */
  public static final String RUN_ID = "runId";
  public static final String ROLE = "role";
  public static final String EPISODE_ID = "episodeId";
  public static final String TURN = "turn";
  public static final String VERSION = "version";

  private final FileAppender<ILoggingEvent> appender;
  private final String runId;

  private RunLogging(FileAppender<ILoggingEvent> appender, String runId) {
    this.appender = appender;
    this.runId = runId;
  }

  /** Starts writing JSON lines into {@code run.logs()} and puts the run id into the caller's MDC. */
  public static RunLogging attach(RunDirectory run) {
    return attach(run.logs(), run.runId());
  }

  /** Starts writing JSON lines into {@code logsDir}; events get {@code runId} from the MDC. */
  public static RunLogging attach(Path logsDir, String runId) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("run-" + runId);
    appender.setFile(logsDir.resolve(LOG_FILE).toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    MDC.put(RUN_ID, runId);
    return new RunLogging(appender, runId);
  }

  public String runId() {
    return runId;
  }

  /** Detaches and flushes the file appender. */
  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
    MDC.remove(RUN_ID);
  }
}
