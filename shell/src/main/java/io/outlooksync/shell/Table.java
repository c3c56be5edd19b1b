package io.outlooksync.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An aligned plain-text table. Widths are measured on the plain text; colour is applied per cell afterwards,
 * so escape codes never shift the columns.
 */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<UnaryOperator<String>> stylers = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
    for (int i = 0; i < headers.length; i++) {
      stylers.add(UnaryOperator.identity());
    }
  }

  /** Styles the cells of one column (not its header). */
  public Table style(int column, UnaryOperator<String> styler) {
    stylers.set(column, styler);
    return this;
  }

  public Table row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>();
    for (String c : cells) {
      row.add(c == null || c.isEmpty() ? "-" : c.replace('\n', ' '));
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public void print(Output out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    out.println(line(headers, width, out, true));
    for (List<String> r : rows) {
      out.println(line(r, width, out, false));
    }
  }

  private String line(List<String> cells, int[] width, Output out, boolean header) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String text = cells.get(i);
      boolean last = i == cells.size() - 1;
      String padded = last ? text : text + " ".repeat(width[i] - text.length() + 2);
      if (header) {
        b.append(out.style(text, Output.Style.BOLD)).append(padded.substring(text.length()));
      } else {
        b.append(stylers.get(i).apply(text)).append(padded.substring(text.length()));
      }
    }
    return b.toString();
  }
}
