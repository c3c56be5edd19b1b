package io.outlooksync.sidecar.app;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/** One SLF4J logger writing through {@link Log}; keeps the fluent API's key-value pairs as logfmt fields. */
final class LogfmtLogger extends LegacyAbstractLogger implements LoggingEventAware {
  private static final long serialVersionUID = 1L;

  LogfmtLogger(String name) {
    this.name = name;
  }

  @Override
  public boolean isTraceEnabled() {
    return Log.enabled(name, Log.Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return Log.enabled(name, Log.Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return Log.enabled(name, Log.Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return Log.enabled(name, Log.Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return Log.enabled(name, Log.Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
    Log.write(map(level), name, MessageFormatter.basicArrayFormat(pattern, args), List.of(), t);
  }

  @Override
  public void log(LoggingEvent event) {
    Log.Level level = map(event.getLevel());
    if (!Log.enabled(name, level)) {
      return;
    }
    Object[] args = event.getArgumentArray();
    String msg = args == null ? event.getMessage() : MessageFormatter.basicArrayFormat(event.getMessage(), args);
    List<Object[]> pairs = new ArrayList<>();
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        pairs.add(new Object[] {kv.key, kv.value});
      }
    }
    Log.write(level, name, msg, pairs, event.getThrowable());
  }

  private static Log.Level map(Level level) {
    return switch (level) {
      case TRACE -> Log.Level.TRACE;
      case DEBUG -> Log.Level.DEBUG;
      case INFO -> Log.Level.INFO;
      case WARN -> Log.Level.WARN;
      case ERROR -> Log.Level.ERROR;
    };
  }
}
