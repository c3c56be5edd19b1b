package io.outlooksync.sidecar.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile input for the fuzz tests: values of the wrong type, huge and empty strings,
 * control characters, lone surrogates, invalid e-mails, unknown time zones, impossible dates, deep nesting,
 * thousand-element arrays; and mutations of a valid document (one node replaced or removed, the text truncated,
 * bytes flipped, garbage inserted). Every draw comes from one {@link Random}, so a case is repeated by its seed.
 */
public final class Hostile {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** A 5 MB description, made once. */
  private static final String FIVE_MB = "<p>" + "x".repeat(5 * 1024 * 1024) + "</p>";
  private static final List<String> STRINGS = List.of("", " ", "\u0000", "\u0007\u001b[31mred\u001b[0m", "line\r\nbreak",
      "\u202eevil\u202c", "\ud800", "\udfff\ud800", "\uffff", "💥".repeat(1000), "%s%n%x", "'; DROP TABLE mapping; --",
      "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}", "../../etc/passwd", "null", "NaN", "-0", "1e309");
  private static final List<String> EMAILS = List.of("not-an-email", "a@", "@b", "a b@c.d", "<a@b.c>", "a@b@c", "a@" + "b".repeat(300)
      + ".com", "\u0000@x.y", "", "=?utf-8?q?x?=@x.y", "\"q\"@x", "alice@example.com\r\nBcc: x@y.z");
  private static final List<String> ZONES = List.of("Mars Standard Time", "Europe/Atlantis", "", "UTC+99", "GMT-25:00",
      "tzone://Microsoft/Custom", "Etc/GMT+14", "W. Europe Standard Time\u0000", "customTimeZone");
  private static final List<String> DATES = List.of("", "2026-13-45T25:61:00", "yesterday", "9999999-01-01T00:00:00",
      "2026-02-30T00:00:00.0000000", "-0001-01-01T00:00:00", "2026-01-01T00:00:00+99:00", "2026-01-01", "T", "1e10");

  private final Random random;

  public Hostile(long seed) {
    this.random = new Random(seed);
  }

  public Random random() {
    return random;
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** A hostile string: control characters, an invalid e-mail, an unknown zone, an impossible date, or huge. */
  public String string() {
    return switch (random.nextInt(6)) {
      case 0 -> pick(EMAILS);
      case 1 -> pick(ZONES);
      case 2 -> pick(DATES);
      case 3 -> random.nextInt(20) == 0 ? FIVE_MB : "y".repeat(random.nextInt(70_000));
      default -> pick(STRINGS);
    };
  }

  /** A hostile JSON value: any type, wrong for where it lands more often than not. */
  public JsonNode value() {
    return switch (random.nextInt(10)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(pick(List.of(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE)));
      case 2 -> NODES.numberNode(pick(List.of(1e308, -0.0, 3.5)));
      case 3 -> NODES.booleanNode(random.nextBoolean());
      case 4 -> NODES.arrayNode();
      case 5 -> NODES.objectNode();
      case 6 -> deep(random.nextInt(2) == 0 ? 20 : 200);
      case 7 -> attendees(random.nextInt(3) == 0 ? 1000 : 3);
      default -> NODES.textNode(string());
    };
  }

  /** Graph attendees with hostile addresses and names; {@code n} of them. */
  public ArrayNode attendees(int n) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      ObjectNode a = out.addObject();
      a.put("type", pick(List.of("required", "optional", "resource", "boss", "")));
      ObjectNode email = a.putObject("emailAddress");
      email.put("address", random.nextBoolean() ? "user" + i + "@example.com" : pick(EMAILS));
      email.put("name", random.nextBoolean() ? "User " + i : pick(STRINGS));
      a.putObject("status").put("response", pick(List.of("accepted", "none", "maybe", "")));
    }
    return out;
  }

  private JsonNode deep(int depth) {
    JsonNode n = NODES.textNode("bottom");
    for (int i = 0; i < depth; i++) {
      n = random.nextBoolean() ? NODES.arrayNode().add(n) : NODES.objectNode().set("n", n);
    }
    return n;
  }

  /** A copy of {@code doc} with one node, anywhere in it, replaced by a hostile value or removed. */
  public JsonNode mutateNode(JsonNode doc) {
    JsonNode copy = doc.deepCopy();
    List<JsonNode> containers = new ArrayList<>();
    collect(copy, containers);
    JsonNode target = pick(containers);
    if (target instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = pick(names);
      if (random.nextInt(4) == 0) {
        o.remove(name);
      } else {
        o.set(name, value());
      }
    } else if (target instanceof ArrayNode a && a.size() > 0) {
      a.set(random.nextInt(a.size()), value());
    } else if (target instanceof ObjectNode o) {
      o.set("unexpected", value());
    }
    return copy;
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      Iterator<JsonNode> it = n.elements();
      while (it.hasNext()) {
        collect(it.next(), out);
      }
    }
  }

  /** {@code text} made malformed as a whole: truncated, bytes flipped, garbage inserted, emptied or replaced. */
  public byte[] mutateText(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    switch (random.nextInt(7)) {
      case 0 -> {
        return java.util.Arrays.copyOf(b, random.nextInt(Math.max(1, b.length)));
      }
      case 1 -> {
        for (int i = 0, n = 1 + random.nextInt(8); i < n && b.length > 0; i++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 2 -> {
        int at = random.nextInt(b.length + 1);
        String junk = pick(List.of("\u0000", "}", "]]", "<", "&", "\"", "\\u", "\ud800", "<!DOCTYPE x [<!ENTITY e \"e\">]>", "&e;"));
        return (text.substring(0, Math.min(at, text.length())) + junk + text.substring(Math.min(at, text.length())))
            .getBytes(StandardCharsets.UTF_8);
      }
      case 3 -> {
        return new byte[0];
      }
      case 4 -> {
        return pick(List.of("<html><body><h1>502 Bad Gateway</h1></body></html>", "null", "[]", "\"a string\"", "42", "{}",
            "{\"error\": {\"code\": 17}}")).getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> {
        // Invalid UTF-8 in the middle.
        byte[] invalid = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE};
        int at = random.nextInt(b.length + 1);
        byte[] out = new byte[b.length + invalid.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(invalid, 0, out, at, invalid.length);
        System.arraycopy(b, at, out, at + invalid.length, b.length - at);
        return out;
      }
      default -> {
        return (text + text).getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  /** One fuzz test's run: its seed (printed, to repeat it), how many cases, and the generator. */
  public record Run(String name, long seed, int cases, Hostile hostile) {
    /** Starts a run of {@code base} cases in the short form ({@link #cases}), seeded by {@link #seed()}. */
    public static Run start(String name, int base) {
      long seed = Hostile.seed();
      int cases = Hostile.cases(base);
      System.out.println(name + " seed " + seed + ", " + cases + " cases (repeat with -Dfuzz.seed=" + seed + ")");
      return new Run(name, seed, cases, new Hostile(seed));
    }

    /** Fails with every failure found, under the seed that repeats them. */
    public void assertNone(List<String> failures, String context) {
      if (!failures.isEmpty()) {
        org.junit.jupiter.api.Assertions.fail(name + " seed " + seed + ":\n" + String.join("\n", failures) + context);
      }
    }
  }

  /** How many cases a fuzz test runs: {@code base} in the short form, times {@code -Dfuzz.scale} (10 in the full form). */
  public static int cases(int base) {
    return base * Integer.getInteger("fuzz.scale", 1);
  }

  /** The seed of a fuzz run: {@code -Dfuzz.seed}, else the clock (printed by the tests). */
  public static long seed() {
    return Long.getLong("fuzz.seed", System.nanoTime());
  }

  /** A short description of a case for a failure message: never the 5 MB of it. */
  public static String describe(Object doc) {
    String s = String.valueOf(doc);
    return s.length() <= 400 ? s : s.substring(0, 400) + "... (" + s.length() + " chars)";
  }
}
