package io.outlooksync.sidecar.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one sync run will do, decided before anything is done. A dry run prints it with its {@link MailForecast};
 * the executor carries it out action by action.
 */
public record Plan(List<Action> actions) {
  public Plan {
    actions = List.copyOf(actions);
  }

  public <T extends Action> List<T> of(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Action a : actions) {
      if (type.isInstance(a)) {
        out.add(type.cast(a));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Actions that change a calendar (not Skip or Conflict notes). */
  public long changes() {
    return actions.stream().filter(a -> !(a instanceof Action.Skip) && !(a instanceof Action.Conflict)).count();
  }

  public MailForecast mail(String mailbox) {
    return MailForecast.of(this, mailbox);
  }

  /** One line per action, for dry runs, the journal and the shell. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Action a : actions) {
      sb.append(a.getClass().getSimpleName()).append(' ').append(a.id()).append(": ").append(a.reason()).append('\n');
    }
    return sb.toString();
  }
}
