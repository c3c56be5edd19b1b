package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.core.Reconciler;
import io.outlooksync.sidecar.store.SyncRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans a recorded run again from the input its journal kept, and compares the plan with the one the run
 * recorded. Pure: nothing is read from Outlook or Odoo and nothing is written, so an administrator can
 * reproduce a decision (a duplicate, a missed update) on a live or a copied store without side effects.
 */
public final class Replay {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One action as a plan shows it. */
  public record Step(String kind, String id, String reason) {
    @Override
    public String toString() {
      return kind + " " + id + ": " + reason;
    }
  }

  /**
   * The outcome: {@code whyNot} is set when the run cannot be replayed; otherwise both plans and their
   * differences (none: reproduced).
   */
  public record Result(long runId, String whyNot, List<Step> recorded, List<Step> replayed, List<String> differences) {
    public boolean replayable() {
      return whyNot == null;
    }

    public boolean reproduced() {
      return replayable() && differences.isEmpty();
    }
  }

  private Replay() {}

  public static Result of(SyncRun run) {
    return of(run.id(), run.inputs(), run.plan());
  }

  /** Replays {@code inputsJson} (the journal's inputs document) against {@code planJson} (its plan document). */
  public static Result of(long runId, String inputsJson, String planJson) {
    StringBuilder whyNot = new StringBuilder();
    Optional<RunRecord.Inputs> inputs = RunRecord.read(inputsJson, whyNot);
    if (inputs.isEmpty()) {
      return new Result(runId, whyNot.toString(), List.of(), List.of(), List.of());
    }
    if (planJson == null) {
      return new Result(runId, "the run recorded no plan", List.of(), List.of(), List.of());
    }
    JsonNode recordedPlan;
    try {
      recordedPlan = JSON.readTree(planJson);
    } catch (JsonProcessingException e) {
      return new Result(runId, "the recorded plan is not JSON", List.of(), List.of(), List.of());
    }
    if (recordedPlan.has("actions_not_recorded")) {
      int kept = recordedPlan.path("actions").size();
      return new Result(runId, "the journal kept only the first " + kept + " of its "
          + (kept + recordedPlan.get("actions_not_recorded").asLong()) + " actions: there is nothing to compare the rest with",
          List.of(), List.of(), List.of());
    }
    List<Action> actions = new ArrayList<>(inputs.get().notes());
    actions.addAll(Reconciler.plan(inputs.get().input()).actions());
    List<Step> replayed = steps(new Plan(actions));
    List<Step> recorded = steps(recordedPlan);
    // Series actions are decided from the series as read on both sides, which the journal does not keep: a replay
    // takes them as recorded and replays the rest (occurrence pairs included).
    recorded.stream().filter(step -> SeriesSync.ACTION_KINDS.contains(step.kind())).forEach(replayed::add);
    return new Result(runId, null, recorded, replayed, differences(recorded, replayed));
  }

  static List<Step> steps(Plan plan) {
    List<Step> out = new ArrayList<>();
    plan.actions().forEach(a -> out.add(new Step(SyncRunner.kind(a), a.id(), a.reason())));
    return out;
  }

  private static List<Step> steps(JsonNode plan) {
    List<Step> out = new ArrayList<>();
    plan.path("actions").forEach(n -> out.add(new Step(n.path("kind").asText(), n.path("id").asText(), n.path("reason").asText())));
    return out;
  }

  /** Actions only in one plan, and actions of the same id that differ in kind or reason. */
  static List<String> differences(List<Step> recorded, List<Step> replayed) {
    Map<String, Step> before = byId(recorded);
    Map<String, Step> after = byId(replayed);
    List<String> out = new ArrayList<>();
    before.forEach((id, step) -> {
      Step now = after.get(id);
      if (now == null) {
        out.add("only in the recorded plan: " + step);
      } else if (!now.equals(step)) {
        out.add("changed: recorded " + step + "; replayed " + now);
      }
    });
    after.forEach((id, step) -> {
      if (!before.containsKey(id)) {
        out.add("only in the replay: " + step);
      }
    });
    return out;
  }

  private static Map<String, Step> byId(List<Step> steps) {
    Map<String, Step> out = new LinkedHashMap<>();
    steps.forEach(s -> out.put(s.id(), s));
    return out;
  }
}
