package io.outlooksync.sidecar.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options of a benchmark, each with the default the figure is measured at. */
public final class BenchOptions {
  private final Map<String, String> values = new HashMap<>();

  static BenchOptions parse(String[] args, int from) {
    BenchOptions o = new BenchOptions();
    for (int i = from; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      o.values.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  BenchOptions with(String name, Object value) {
    values.put(name, String.valueOf(value));
    return this;
  }

  public int integer(String name, int byDefault) {
    String v = values.get(name);
    return v == null ? byDefault : Integer.parseInt(v);
  }

  public String text(String name, String byDefault) {
    return values.getOrDefault(name, byDefault);
  }
}
