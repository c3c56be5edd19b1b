package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code outlook-sync serve [--config FILE]} and {@code outlook-sync rotate-key [--config FILE]}.
 * Exit codes: 0 done (also after SIGTERM/SIGINT), 1 failure at run time (store, port), 2 usage, 3 bad config.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int BAD_CONFIG = 3;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out) {
    if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])) {
      out.print(usage());
      return args.length == 0 ? USAGE : OK;
    }
    if (args[0].equals("--version")) {
      out.println("outlook-sync " + Sidecar.version());
      return OK;
    }
    if (args[0].equals("demo")) {
      return demo(args, out);
    }
    Path file = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else {
        System.err.println("outlook-sync: unknown option " + args[i] + "\n\n" + usage());
        return USAGE;
      }
    }
    List<String> warnings = new ArrayList<>();
    Config config;
    try {
      config = Config.load(file, env, warnings);
    } catch (Config.ConfigException e) {
      System.err.println("outlook-sync: the configuration is not valid:\n" + e.getMessage());
      return BAD_CONFIG;
    }
    Log.setLevel(Log.parseLevel(config.get(Key.LOG_LEVEL).orElseThrow()));
    warnings.forEach(w -> LOG.atWarn().log(w));
    return switch (args[0]) {
      case "serve" -> serve(config);
      case "rotate-key" -> rotateKey(config, out);
      default -> {
        System.err.println("outlook-sync: unknown command " + args[0] + "\n\n" + usage());
        yield USAGE;
      }
    };
  }

  static String usage() {
    return """
        usage: outlook-sync serve [--config FILE]
               outlook-sync rotate-key [--config FILE]
               outlook-sync demo [--once]
               outlook-sync --help | --version

          serve       run the sidecar: the local API for the Odoo addon, Graph's webhook, the sync engine
          rotate-key  put a new key first in the key file and re-encrypt every stored secret with it
                      (run it while the sidecar is stopped when the store is the embedded HSQLDB)
          demo        start the Microsoft 365 and Odoo emulators and a sidecar wired to them, connect a
                      user through the real sign-in round trip, and show what happened (--once: then exit)

        Settings come from FILE (key = value lines) and OUTLOOK_SYNC_* environment variables;
        see docs/install.md. With none at all, serve listens on 127.0.0.1:8077, keeps its data in ./data,
        and waits for the addon to push its settings.
        """;
  }

  private static int demo(String[] args, PrintStream out) {
    boolean once = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--once")) {
        once = true;
      } else {
        System.err.println("outlook-sync: unknown option " + args[i] + "\n\n" + usage());
        return USAGE;
      }
    }
    try {
      return new Demo(out).run(once);
    } catch (NoClassDefFoundError e) {
      System.err.println("outlook-sync: the demo needs the emulators (test-fixtures) on the class path; run it with sidecar/bin/outlook-sync demo");
      return FAILED;
    } catch (Exception e) {
      LOG.atError().setCause(e).log("the demo failed");
      return FAILED;
    }
  }

  private static int serve(Config config) {
    Sidecar sidecar;
    try {
      sidecar = Sidecar.start(config);
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.atError().setCause(e).log("cannot start");
      return FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable shutdown = () -> {
      LOG.atInfo().log("stopping: finishing requests in flight, closing the store");
      sidecar.close();
      LOG.atInfo().log("stopped");
      stopped.countDown();
    };
    // Handle TERM and INT ourselves so a requested stop exits 0 (a JVM killed through its shutdown hooks
    // exits 143, which systemd would otherwise need SuccessExitStatus= for). The hook covers other exits.
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> new Thread(shutdown, "shutdown").start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "shutdown-hook"));
    long startMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    List<String> missing = sidecar.config().missing();
    LOG.atInfo().addKeyValue("listen", sidecar.address().getHostString() + ":" + sidecar.address().getPort())
        .addKeyValue("version", Sidecar.version()).addKeyValue("startup_ms", startMillis)
        .addKeyValue("missing", missing.isEmpty() ? "none" : String.join(",", missing))
        .log(missing.isEmpty() ? "serving" : "serving; waiting for the addon's settings");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sidecar.close();
    }
    return OK;
  }

  private static int rotateKey(Config config, PrintStream out) {
    try {
      String keyId;
      if (config.get(Key.SECRET_KEYS).isPresent()) {
        keyId = SecretBox.fromSpec(config.get(Key.SECRET_KEYS).get()).activeKeyId();
        out.println("keys come from OUTLOOK_SYNC_SECRET_KEYS: re-encrypting under its first key, " + keyId);
      } else {
        keyId = prependKey(config.secretKeyFile());
        out.println("added key " + keyId + " first in " + config.secretKeyFile());
      }
      int n;
      try (Store store = Sidecar.openStore(config)) {
        n = store.secrets().rotate();
      }
      out.println("re-encrypted " + n + " secrets under key " + keyId
          + "; older keys stay in the list until you remove them (docs/install.md, key rotation)");
      return OK;
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.atError().setCause(e).log("key rotation failed; nothing was re-encrypted");
      return FAILED;
    }
  }

  /** Writes a new key line in front of the existing ones (atomically, 0600); returns its id. */
  static String prependKey(Path keyFile) throws IOException {
    String existing = Files.exists(keyFile) ? Files.readString(keyFile, StandardCharsets.UTF_8) : "";
    SecretBox.fromSpec(existing.isBlank() ? SecretBox.newKeyLine("probe") : existing); // refuse a broken file first
    String id = "k" + System.currentTimeMillis() / 1000;
    while (existing.contains(id + ":")) {
      id += "b"; // two rotations within a second
    }
    Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".new");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, SecretBox.newKeyLine(id) + "\n" + existing, StandardCharsets.UTF_8);
    Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return id;
  }
}
