package io.outlooksync.sidecar.odoo;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One call of a model method, in the terms both of Odoo's APIs can carry. XML-RPC's execute_kw passes
 * {@code ids} then {@code args} positionally and {@code options} plus the context as keywords; JSON-2 names
 * everything in one JSON object. Replies come back in XML-RPC's value forms whatever the protocol: lists as
 * {@code Object[]}, ids as {@code Integer}, dicts as {@code Map}, so {@link Row} reads both.
 *
 * @param ids     the records of a record method ({@code write}), or null for a model method ({@code create})
 * @param args    the method's leading parameters by name, in their order ({@code vals_list}, {@code domain})
 * @param options keyword-only parameters ({@code fields}, {@code order}, {@code limit})
 * @param context the call's context, empty for none
 * @param about   the records the call is about, for logs and error messages (values never are)
 */
record OdooCall(String model, String method, List<Integer> ids, Map<String, Object> args, Map<String, Object> options,
    Map<String, Object> context, Collection<?> about) {

  /** "calendar.event.write ids 7,8": how errors name the call. */
  String describe() {
    if (about.isEmpty()) {
      return model + "." + method;
    }
    List<String> first = about.stream().limit(10).map(String::valueOf).toList();
    return model + "." + method + " ids " + String.join(",", first) + (about.size() > 10 ? ",... (" + about.size() + ")" : "");
  }
}
