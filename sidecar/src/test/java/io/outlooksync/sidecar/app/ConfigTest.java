package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.sync.ScheduleSettings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir
  Path dir;

  @Test
  void defaultsNeedNoFileAndNoEnvironment() throws Exception {
    Config c = Config.load(null, Map.of(), new ArrayList<>());
    assertEquals(new InetSocketAddress("127.0.0.1", 8077), c.listen());
    assertEquals(Path.of("./data"), c.dataDir());
    assertEquals(Path.of("./data/secret.key"), c.secretKeyFile());
    assertEquals("common", c.get(Key.MS_TENANT).orElseThrow());
    assertEquals(7, c.missing().size());
  }

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults() throws Exception {
    Path file = dir.resolve("outlook-sync.conf");
    Files.writeString(file, """
        # comment
        odoo_url = https://file.example.com
        odoo_db = from_file
        ms_client_secret =  s3cr=t with spaces and a # hash\s
        listen = 127.0.0.1:9000

        """);
    List<String> warnings = new ArrayList<>();
    Config c = Config.load(file, Map.of("OUTLOOK_SYNC_ODOO_DB", "from_env", "OUTLOOK_SYNC_LISTEN", "",
        "OUTLOOK_SYNC_TYPO", "x", "PATH", "/bin"), warnings);
    assertEquals("https://file.example.com", c.get(Key.ODOO_URL).orElseThrow());
    assertEquals("from_env", c.get(Key.ODOO_DB).orElseThrow());
    assertEquals("s3cr=t with spaces and a # hash", c.get(Key.MS_CLIENT_SECRET).orElseThrow(), "values are literal");
    assertEquals(9000, c.listen().getPort(), "an empty variable does not override");
    assertEquals(List.of("unknown environment variable OUTLOOK_SYNC_TYPO (ignored)"), warnings);
    // Pushed values (LiveSetup) go on top.
    assertEquals("pushed", c.with(Map.of(Key.ODOO_DB, "pushed")).get(Key.ODOO_DB).orElseThrow());
  }

  @Test
  void everyProblemIsReportedWithItsKeyAndNoSecretValue() throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, """
        odoo_url = ftp://odoo
        odoo_url = https://again
        colour = blue
        no equals sign
        secret_keys = k1:AAAA
        api_shared_secret = short-secret
        listen = localhost:http
        public_base_url = http://not-https.example.com
        log_level = loud
        """);
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
        () -> Config.load(file, Map.of("OUTLOOK_SYNC_ODOO_API_KEY", "x", "OUTLOOK_SYNC_DB_URL", "jdbc:mysql://h/db"), new ArrayList<>()));
    String m = e.getMessage();
    for (String expected : List.of("bad.conf:2: odoo_url is set twice", "bad.conf:3: unknown key colour",
        "bad.conf:4: expected key = value", "secret_keys is read from the environment only", "odoo_url: must be an http(s)",
        "api_shared_secret: must be at least 16", "listen: port must be a number", "public_base_url: must be an https://",
        "log_level: must be one of", "db_url: must be a jdbc:postgresql:")) {
      assertTrue(m.contains(expected), "missing <" + expected + "> in:\n" + m);
    }
    assertFalse(m.contains("short-secret"), m);
    assertThrows(Config.ConfigException.class,
        () -> Config.load(null, Map.of("OUTLOOK_SYNC_ODOO_URL", "https://user:pw@odoo.example.com"), new ArrayList<>()));
  }

  @Test
  void theSchedulersIntervalAndWorkersAreConfiguredWithinBounds() throws Exception {
    ScheduleSettings defaults = Config.load(null, Map.of(), new ArrayList<>()).scheduleSettings();
    assertEquals(Duration.ofMinutes(15), defaults.interval());
    assertEquals(4, defaults.workers());
    ScheduleSettings set = Config.load(null, Map.of("OUTLOOK_SYNC_SYNC_INTERVAL", "300", "OUTLOOK_SYNC_SYNC_WORKERS", "16"),
        new ArrayList<>()).scheduleSettings();
    assertEquals(Duration.ofMinutes(5), set.interval());
    assertEquals(16, set.workers());
    assertEquals(Duration.ofMillis(300), set.quiet());
    assertEquals(ScheduleSettings.BURST_QUIET, set.burstQuiet());
    Config.ConfigException e = assertThrows(Config.ConfigException.class, () -> Config.load(null,
        Map.of("OUTLOOK_SYNC_SYNC_INTERVAL", "5", "OUTLOOK_SYNC_SYNC_WORKERS", "many"), new ArrayList<>()));
    assertTrue(e.getMessage().contains("sync_interval: must be between 10 and 86400"), e.getMessage());
    assertTrue(e.getMessage().contains("sync_workers: must be a whole number"), e.getMessage());
  }

  @Test
  void theQuietBeforeAnAnnouncedRunIsConfiguredUpToTheBurstQuiet() throws Exception {
    assertEquals(Duration.ofMillis(150),
        Config.load(null, Map.of("OUTLOOK_SYNC_SYNC_QUIET_MS", "150"), new ArrayList<>()).scheduleSettings().quiet());
    assertEquals(Duration.ZERO, Config.load(null, Map.of("OUTLOOK_SYNC_SYNC_QUIET_MS", "0"), new ArrayList<>()).scheduleSettings().quiet());
    for (String bad : new String[] {"2001", "-1", "0.5s"}) {
      Config.ConfigException e = assertThrows(Config.ConfigException.class,
          () -> Config.load(null, Map.of("OUTLOOK_SYNC_SYNC_QUIET_MS", bad), new ArrayList<>()));
      assertTrue(e.getMessage().contains("sync_quiet_ms: must be"), e.getMessage());
    }
  }

  @Test
  void toStringRedactsSecrets() throws Exception {
    Config c = Config.load(null, Map.of("OUTLOOK_SYNC_MS_CLIENT_SECRET", "needle-1", "OUTLOOK_SYNC_ODOO_API_KEY", "needle-2",
        "OUTLOOK_SYNC_API_SHARED_SECRET", "needle-3-long-enough", "OUTLOOK_SYNC_DB_PASSWORD", "needle-4",
        "OUTLOOK_SYNC_ODOO_DB", "prod"), new ArrayList<>());
    String s = c.toString();
    assertFalse(s.contains("needle"), s);
    assertTrue(s.contains("ms_client_secret=***") && s.contains("odoo_db=prod"), s);
  }

  @Test
  void rotateKeyReencryptsUnderANewKeyAndKeepsTheOldOneReadable() throws Exception {
    Config c = Config.load(null, Map.of("OUTLOOK_SYNC_DATA_DIR", dir.toString()), new ArrayList<>());
    try (Store store = Sidecar.openStore(c)) {
      store.secrets().putSetting("config.ms_client_secret", "rotate-me");
    }
    String before = Files.readString(c.secretKeyFile());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertEquals(Main.OK, Main.run(new String[] {"rotate-key"}, Map.of("OUTLOOK_SYNC_DATA_DIR", dir.toString()),
        new java.io.PrintStream(out, true, "UTF-8")));
    assertTrue(out.toString("UTF-8").contains("re-encrypted 1 secrets"), out.toString("UTF-8"));
    String after = Files.readString(c.secretKeyFile());
    assertTrue(after.endsWith(before) && after.length() > before.length(), "new key first, old kept");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(c.secretKeyFile())));
    // Readable with the new key alone: everything moved.
    Path onlyNew = dir.resolve("new.key");
    Files.writeString(onlyNew, after.lines().findFirst().orElseThrow() + "\n");
    Files.setPosixFilePermissions(onlyNew, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Config newOnly = c.with(Map.of(Key.SECRET_KEY_FILE, onlyNew.toString()));
    try (Store store = Sidecar.openStore(newOnly)) {
      assertEquals("rotate-me", store.secrets().setting("config.ms_client_secret").orElseThrow());
    }
  }

  @Test
  void usageAndExitCodes() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream ps = new java.io.PrintStream(out, true, "UTF-8");
    assertEquals(Main.OK, Main.run(new String[] {"--help"}, Map.of(), ps));
    assertTrue(out.toString("UTF-8").contains("outlook-sync serve [--config FILE]"));
    assertEquals(Main.USAGE, Main.run(new String[] {}, Map.of(), ps));
    assertEquals(Main.USAGE, Main.run(new String[] {"serve", "--bogus"}, Map.of(), ps));
    assertEquals(Main.USAGE, Main.run(new String[] {"frobnicate"}, Map.of(), ps));
    assertEquals(Main.BAD_CONFIG, Main.run(new String[] {"serve"}, Map.of("OUTLOOK_SYNC_LISTEN", "nowhere"), ps));
  }
}
