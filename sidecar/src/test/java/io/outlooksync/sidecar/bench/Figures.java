package io.outlooksync.sidecar.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one benchmark measured: named figures, each with the bound the issue sets where it sets one. Printed as
 * logfmt lines and as Markdown rows ready for docs/benchmarks.md.
 */
public final class Figures {
  /** One figure; {@code bound} is a readable limit ("<= 260") and {@code met} whether the value keeps it. */
  record Figure(String name, String value, String bound, Boolean met) {}

  private final String benchmark;
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Figures(String benchmark) {
    this.benchmark = benchmark;
  }

  /** A figure without a bound. */
  public Figures add(String name, Object value) {
    figures.add(new Figure(name, format(value), "", null));
    return this;
  }

  /** A figure that must stay at or under {@code max}. */
  public Figures atMost(String name, double value, double max, String unit) {
    figures.add(new Figure(name, format(value) + unit, "<= " + format(max) + unit, value <= max));
    return this;
  }

  /** A figure that must reach at least {@code min}. */
  public Figures atLeast(String name, double value, double min, String unit) {
    figures.add(new Figure(name, format(value) + unit, ">= " + format(min) + unit, value >= min));
    return this;
  }

  public Figures note(String text) {
    notes.add(text);
    return this;
  }

  String benchmark() {
    return benchmark;
  }

  List<Figure> figures() {
    return List.copyOf(figures);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  /** Whether every bounded figure kept its bound. */
  boolean met() {
    return figures.stream().allMatch(f -> f.met() == null || f.met());
  }

  String markdown(Machine machine) {
    StringBuilder out = new StringBuilder();
    out.append("| figure | value | bound | kept |\n|---|---|---|---|\n");
    for (Figure f : figures) {
      out.append("| ").append(f.name()).append(" | ").append(f.value()).append(" | ").append(f.bound()).append(" | ")
          .append(f.met() == null ? "" : f.met() ? "yes" : "**no**").append(" |\n");
    }
    for (String n : notes) {
      out.append("\n").append(n).append("\n");
    }
    out.append("\nMachine: ").append(machine.describe()).append("; load average before ").append(machine.load())
        .append(", after ").append(Machine.loadNow()).append(".\n");
    return out.toString();
  }

  public static String format(Object value) {
    if (value instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.format(Locale.ROOT, "%.2f", d);
    }
    return String.valueOf(value);
  }
}
