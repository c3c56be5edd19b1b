package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Api;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;

public final class HealthCommand implements Command {
  @Override
  public String name() {
    return "health";
  }

  @Override
  public String usage() {
    return "health";
  }

  @Override
  public String summary() {
    return "is the sidecar up, its store reachable, its configuration complete";
  }

  @Override
  public String help() {
    return "Asks the sidecar's /healthz (no shared secret needed). Status ok: ready; degraded: running but\n"
        + "settings are missing (listed); failing: the store is unreachable, and the command fails (exit 1).";
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.exactly(this, args, 0);
    Api.Answer a = session.client().health();
    JsonNode h = a.json();
    if (!h.has("status")) {
      throw ShellException.failed("the sidecar at " + session.client().base() + " answered HTTP " + a.status()
          + " without a health report: is that URL the sidecar?");
    }
    Output out = session.out();
    String status = h.path("status").asText();
    Output.Style style = "ok".equals(status) ? Output.Style.GREEN : "degraded".equals(status) ? Output.Style.YELLOW
        : Output.Style.RED;
    out.println("status   " + out.style(status, style) + " (" + h.path("message").asText() + ")");
    out.println("store    " + h.path("store").asText());
    out.println("paused   " + (h.path("paused").asBoolean() ? out.style("yes, for everyone", Output.Style.YELLOW) : "no"));
    out.println("version  " + h.path("version").asText());
    out.println("uptime   " + uptime(h.path("uptime_seconds").asLong()));
    out.println("sidecar  " + session.client().base());
    if ("failing".equals(status)) {
      throw ShellException.failed("the sidecar is failing: " + h.path("message").asText());
    }
  }

  static String uptime(long seconds) {
    long d = seconds / 86_400;
    long h = seconds % 86_400 / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    return d > 0 ? d + "d " + h + "h" : h > 0 ? h + "h " + m + "m" : m > 0 ? m + "m " + s + "s" : s + "s";
  }
}
