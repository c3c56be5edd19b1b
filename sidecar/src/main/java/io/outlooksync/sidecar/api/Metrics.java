package io.outlooksync.sidecar.api;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counters and gauges in the Prometheus text exposition format (version 0.0.4). A registry of a few dozen
 * lines: the sidecar has a handful of metrics and no need for a client library. Label values are our own
 * route patterns and enum names, so their number stays small.
 */
public final class Metrics {
  private record Family(String name, String type, String help) {}

  private final Map<String, Family> families = new LinkedHashMap<>();
  private final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> counters = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Map<String, Double>>> gauges = new LinkedHashMap<>();
  private final long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();

  public Metrics() {
    gauge("process_uptime_seconds", "Seconds since the sidecar's JVM started.",
        () -> Map.of("", (System.currentTimeMillis() - startMillis) / 1000.0));
    gauge("process_start_time_seconds", "Start time of the process, unix seconds.", () -> Map.of("", startMillis / 1000.0));
    gauge("jvm_memory_used_bytes", "JVM memory in use, by area.", () -> {
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
      return Map.of("area=\"heap\"", (double) heap.getUsed(), "area=\"nonheap\"", (double) nonHeap.getUsed());
    });
    gauge("jvm_memory_max_bytes", "JVM heap limit.",
        () -> Map.of("area=\"heap\"", (double) ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax()));
    gauge("jvm_threads_live", "Live JVM threads.", () -> Map.of("", (double) ManagementFactory.getThreadMXBean().getThreadCount()));
  }

  /** Declares a counter; {@link #increment} adds to it per label set. */
  public synchronized void counter(String name, String help) {
    families.putIfAbsent(name, new Family(name, "counter", help));
  }

  /** Declares a gauge read at scrape time: label set (e.g. {@code state="PAUSED"}, or "") to value. */
  public synchronized void gauge(String name, String help, Supplier<Map<String, Double>> read) {
    families.putIfAbsent(name, new Family(name, "gauge", help));
    gauges.put(name, read);
  }

  /** Adds one; {@code labels} alternate name and value. */
  public void increment(String name, String... labels) {
    counters.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
        .computeIfAbsent(labelSet(labels), l -> new LongAdder()).increment();
  }

  static String labelSet(String... labels) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      String v = labels[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
      parts.add(labels[i] + "=\"" + v + "\"");
    }
    return String.join(",", parts);
  }

  /** The exposition text. A gauge whose reading fails is left out (its failure shows on /healthz). */
  public String render() {
    List<Family> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(families.values());
    }
    StringBuilder b = new StringBuilder(2048);
    for (Family f : snapshot) {
      Map<String, Double> samples = new TreeMap<>();
      if (f.type().equals("counter")) {
        counters.getOrDefault(f.name(), new ConcurrentHashMap<>()).forEach((l, a) -> samples.put(l, (double) a.sum()));
      } else {
        try {
          samples.putAll(gauges.get(f.name()).get());
        } catch (RuntimeException e) {
          continue;
        }
      }
      b.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
      b.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      samples.forEach((labels, value) -> {
        b.append(f.name());
        if (!labels.isEmpty()) {
          b.append('{').append(labels).append('}');
        }
        b.append(' ').append(format(value)).append('\n');
      });
    }
    return b.toString();
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
