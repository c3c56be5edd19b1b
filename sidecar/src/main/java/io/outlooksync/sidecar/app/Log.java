package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.api.LogRing;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The sidecar's one log sink: logfmt lines ({@code ts=... level=... logger=... msg=... user=... run=...}) on
 * stderr, where systemd's journal collects them. Every line passes a redaction guard first: values under keys
 * that name a secret are replaced by {@code ***}, and message text is scrubbed of {@code secret=...},
 * {@code Bearer ...} and JWT-shaped strings, because third-party messages are not ours to trust. The redacted
 * lines also go to {@link LogRing#SHARED}, the recent lines the admin shell's {@code tail} reads.
 *
 * <p>All code, ours included, logs through the SLF4J API ({@code LoggerFactory.getLogger}, with key-value pairs
 * from the fluent API for ids); {@link LogProvider} binds it here. Our own code logs at INFO and above (or {@code log_level}); third parties (msal4j, the Graph SDK, HSQLDB)
 * at WARN and above, since their INFO and DEBUG output includes request details we do not want on disk.
 */
public final class Log {
  /** Severity, ordered. */
  public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

  private static final String OURS = "io.outlooksync.";
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(secret|token|passw|api_?key|apikey|authorization|signature|cookie|credential|code|client_state).*");
  private static final Pattern SECRET_IN_TEXT = Pattern.compile(
      "(?i)\\b([\\w.-]*(?:secret|token|passw|api_?key|authorization|signature|code|client_?state)[\\w.-]*)(\"?\\s*[=:]\\s*\"?)([^\\s\"&,;]+)");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
  private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private static volatile Level ourLevel = Level.INFO;
  private static volatile Level otherLevel = Level.WARN;
  private static volatile Consumer<String> sink = stderr(System.err);

  private Log() {}

  public static void setLevel(Level ours) {
    ourLevel = ours;
  }

  public static Level parseLevel(String name) {
    try {
      return Level.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, not " + name);
    }
  }

  /** Sends lines elsewhere (tests capture them); returns the previous sink. */
  public static Consumer<String> setSink(Consumer<String> newSink) {
    Consumer<String> old = sink;
    sink = newSink;
    return old;
  }

  static Consumer<String> stderr(PrintStream out) {
    return line -> {
      synchronized (out) {
        out.println(line);
      }
    };
  }

  public static boolean enabled(String logger, Level level) {
    Level threshold = logger.startsWith(OURS) ? ourLevel : otherLevel;
    return level.compareTo(threshold) >= 0;
  }

  /** Formats and emits one line; {@code pairs} are {key, value} arrays. */
  static void write(Level level, String logger, String msg, List<Object[]> pairs, Throwable t) {
    StringBuilder b = new StringBuilder(160);
    b.append("ts=").append(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    b.append(" level=").append(level.name().toLowerCase(Locale.ROOT));
    b.append(" logger=").append(shortName(logger));
    b.append(" msg=");
    quote(b, scrub(msg == null ? "" : msg));
    for (Object[] kv : pairs) {
      String key = String.valueOf(kv[0]).replaceAll("[^A-Za-z0-9_.-]", "_");
      b.append(' ').append(key).append('=');
      if (SECRET_KEY.matcher(key).matches()) {
        b.append("***");
      } else {
        quote(b, scrub(String.valueOf(kv[1])));
      }
    }
    if (t != null) {
      b.append(" error=");
      quote(b, describe(t));
    }
    String line = b.toString();
    LogRing.SHARED.add(line);
    sink.accept(line);
  }

  /** Exception chain as {@code Type: message <- Type: message} plus where it was thrown; messages scrubbed. */
  static String describe(Throwable t) {
    StringBuilder b = new StringBuilder();
    Throwable root = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (b.length() > 0) {
        b.append(" <- ");
      }
      b.append(c.getClass().getName());
      if (c.getMessage() != null) {
        b.append(": ").append(scrub(c.getMessage()));
      }
      root = c;
      if (c.getCause() == c) {
        break;
      }
    }
    StackTraceElement[] frames = root.getStackTrace();
    if (frames.length > 0) {
      b.append(" at ").append(frames[0]);
    }
    return b.toString();
  }

  /** Removes secret-looking values from free text. */
  static String scrub(String text) {
    String out = SECRET_IN_TEXT.matcher(text).replaceAll("$1$2***");
    out = BEARER.matcher(out).replaceAll("$1 ***");
    return JWT.matcher(out).replaceAll("***");
  }

  private static String shortName(String logger) {
    return logger.startsWith(OURS + "sidecar.") ? logger.substring((OURS + "sidecar.").length()) : logger;
  }

  private static void quote(StringBuilder b, String value) {
    boolean plain = !value.isEmpty() && value.chars().allMatch(ch -> ch > ' ' && ch != '"' && ch != '=' && ch != '\\' && ch < 127);
    if (plain) {
      b.append(value);
      return;
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(ch < ' ' ? ' ' : ch);
      }
    }
    b.append('"');
  }

  /** For tests and the redaction guard's documentation: the key names treated as secret. */
  static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }
}
