package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.outlooksync.sidecar.fuzz.Hostile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the XML-RPC gateway's reading of {@code calendar.event} records with seeded hostile replies from a server
 * of our own: one record with a member of the wrong type, a huge or hostile string, an impossible date, a deep
 * array, or removed; or the whole reply malformed (truncated, flipped bytes, invalid UTF-8, a DOCTYPE, HTML).
 * Each case must end within seconds in records or an {@link OdooException}, never another exception; with one
 * record hostile, the others are read. {@code -Dfuzz.scale=10} runs ten times the cases, {@code -Dfuzz.seed=N}
 * repeats a run.
 */
class XmlRpcRepliesFuzzTest {
  private static final Pattern MEMBER = Pattern.compile("<member><name>([a-z_]+)</name><value>(.*?)</value></member>");
  private volatile byte[] reply = new byte[0];

  @Test
  void hostileRecordsEndInRecordsOrAnOdooErrorAndTheOtherRecordsAreRead() throws Exception {
    Hostile.Run run = Hostile.Run.start("XmlRpcRepliesFuzzTest", 300);
    Hostile hostile = run.hostile();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext("/xmlrpc/2/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      byte[] out = body.contains("<methodName>authenticate</methodName>")
          ? XmlRpcHardeningTest.response("<int>2</int>").getBytes(StandardCharsets.UTF_8) : reply;
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      exchange.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    List<String> failures = new ArrayList<>();
    int perRecord = 0;
    try {
      OdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of("http://127.0.0.1:" + server.getAddress().getPort(), "db", "sync",
          "key"));
      for (int i = 0; i < run.cases() && failures.size() < 10; i++) {
        List<String> rows = new ArrayList<>();
        for (int id = 21; id <= 24; id++) {
          rows.add(XmlRpcHardeningTest.row(id, "<string>2026-01-05 10:00:00</string>"));
        }
        // Well-typed XML-RPC with one record of the wrong shape: the others must be read. A value that is not
        // XML-RPC at all (<int>x</int>, <nil/>, which Odoo never sends) or a broken text is a malformed reply.
        int mode = hostile.nextInt(3);
        boolean oneRecord = mode == 0;
        int bad = hostile.nextInt(rows.size());
        if (mode < 2) {
          perRecord += oneRecord ? 1 : 0;
          rows.set(bad, mutateRecord(rows.get(bad), hostile, oneRecord));
        }
        StringBuilder array = new StringBuilder("<array><data>");
        rows.forEach(r -> array.append("<value>").append(r).append("</value>"));
        String text = XmlRpcHardeningTest.response(array.append("</data></array>").toString());
        reply = mode < 2 ? text.getBytes(StandardCharsets.UTF_8) : hostile.mutateText(text);
        Future<Found<OdooEvent>> read = caller.submit(() -> gateway.events(List.of(21L, 22L, 23L, 24L)));
        try {
          Found<OdooEvent> found = read.get(20, TimeUnit.SECONDS);
          if (oneRecord) {
            long others = found.items().stream().filter(e -> e.id() != 21 + bad).count();
            if (others != 3) {
              failures.add("case " + i + ": " + others + " of the 3 good records read beside " + Hostile.describe(rows.get(bad)));
            }
          }
        } catch (TimeoutException hang) {
          read.cancel(true);
          failures.add("case " + i + ": no answer within 20 s");
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof OdooException)) {
            failures.add("case " + i + ": " + e.getCause() + " for " + Hostile.describe(new String(reply, StandardCharsets.UTF_8)));
          } else if (oneRecord) {
            failures.add("case " + i + ": one bad record failed the whole reply: " + e.getCause() + " for "
                + Hostile.describe(rows.get(bad)));
          }
        }
      }
    } finally {
      caller.shutdownNow();
      server.stop(0);
    }
    System.out.println("XmlRpcRepliesFuzzTest: " + perRecord + " replies with one hostile record, " + (run.cases() - perRecord)
        + " hostile replies");
    run.assertNone(failures, "");
  }

  /** The record with one member (not its id) replaced by a hostile value (well-typed XML-RPC or not), or removed. */
  private static String mutateRecord(String row, Hostile h, boolean wellTyped) {
    List<int[]> spans = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Matcher m = MEMBER.matcher(row);
    while (m.find()) {
      if (!m.group(1).equals("id")) {
        spans.add(new int[] {m.start(2), m.end(2), m.start(), m.end()});
        names.add(m.group(1));
      }
    }
    int pick = h.nextInt(spans.size());
    int[] s = spans.get(pick);
    if (h.nextInt(5) == 0) {
      return row.substring(0, s[2]) + row.substring(s[3]);
    }
    return row.substring(0, s[0]) + (wellTyped ? value(h) : illTyped(h)) + row.substring(s[1]);
  }

  /** Not valid XML-RPC, or a type Odoo's marshaller never sends. */
  private static String illTyped(Hostile h) {
    return switch (h.nextInt(6)) {
      case 0 -> "<int>" + h.pick(List.of("99999999999", "x", "")) + "</int>";
      case 1 -> "<boolean>" + h.pick(List.of("2", "")) + "</boolean>";
      case 2 -> "<double>" + h.pick(List.of("NaN", "")) + "</double>";
      case 3 -> "<nil/>";
      case 4 -> "<dateTime.iso8601>" + h.pick(List.of("garbage", "")) + "</dateTime.iso8601>";
      default -> "<base64>!!!</base64>";
    };
  }

  /** Well-typed XML-RPC of the wrong shape or with hostile content. */
  private static String value(Hostile h) {
    return switch (h.nextInt(10)) {
      case 0 -> "<int>" + h.pick(List.of("-1", "0", "2147483647", "-2147483648")) + "</int>";
      case 1 -> "<boolean>" + h.pick(List.of("0", "1")) + "</boolean>";
      case 2 -> "<double>" + h.pick(List.of("1e308", "-0", "3.5")) + "</double>";
      case 3 -> "<string></string>";
      case 4 -> "<dateTime.iso8601>20260105T10:00:00</dateTime.iso8601>";
      case 5 -> "<base64>AAAA</base64>";
      case 6 -> "<array><data>" + "<value><array><data>".repeat(50) + "<value><int>1</int></value>"
          + "</data></array></value>".repeat(50) + "</data></array>";
      case 7 -> "<struct></struct>";
      case 8 -> "<array><data><value><int>" + h.nextInt(5) + "</int></value><value><string>" + xml(h.string())
          + "</string></value><value><int>9</int></value></data></array>";
      default -> "<string>" + xml(h.string()) + "</string>";
    };
  }

  /** Escaped for XML, without the characters XML 1.0 cannot carry at all (a reply with them is malformed as a whole). */
  private static String xml(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c == '&') {
        out.append("&amp;");
      } else if (c == '<') {
        out.append("&lt;");
      } else if (c == '>') {
        out.append("&gt;");
      } else if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c > 0xFFFF) {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
