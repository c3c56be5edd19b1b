package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One record of a read reply, read field by field with Odoo's conventions (False for empty, [id, name] for
 * many2one). Anything else throws {@link OdooProtocolException} naming the model, method, record and field,
 * never the value.
 */
final class Row {
  private final String model;
  private final String method;
  private final Map<?, ?> values;
  private final long id;

  private Row(String model, String method, Map<?, ?> values, long id) {
    this.model = model;
    this.method = method;
    this.values = values;
    this.id = id;
  }

  /** The record, or a protocol error for the whole reply when it is not a dict with an int id. */
  static Row of(String model, String method, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new OdooProtocolException(model + "." + method + ": a record is " + typeName(value) + ", not a dict");
    }
    if (!(map.get("id") instanceof Integer id)) {
      throw new OdooProtocolException(model + "." + method + ": a record has no integer id");
    }
    return new Row(model, method, map, id);
  }

  /** The rows of a reply that must be a list of records. */
  static List<Row> list(String model, String method, Object reply) {
    if (!(reply instanceof Object[] array)) {
      throw new OdooProtocolException(model + "." + method + ": the reply is " + typeName(reply) + ", not a list");
    }
    List<Row> rows = new ArrayList<>(array.length);
    for (Object item : array) {
      rows.add(of(model, method, item));
    }
    return rows;
  }

  long id() {
    return id;
  }

  String string(String field) {
    Object v = field(field);
    if (Boolean.FALSE.equals(v)) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw wrong(field, v, "a string");
  }

  int integer(String field) {
    Object v = field(field);
    if (v instanceof Integer i) {
      return i;
    }
    throw wrong(field, v, "an integer");
  }

  boolean bool(String field) {
    Object v = field(field);
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrong(field, v, "a boolean");
  }

  Instant datetime(String field) {
    String text = string(field);
    try {
      return text == null ? null : Wire.datetime(text);
    } catch (DateTimeParseException e) {
      throw new OdooProtocolException(where(field) + " is not a \"YYYY-MM-DD HH:MM:SS\" datetime");
    }
  }

  LocalDate date(String field) {
    String text = string(field);
    try {
      return text == null ? null : LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new OdooProtocolException(where(field) + " is not a \"YYYY-MM-DD\" date");
    }
  }

  /** A many2one's id: Odoo sends [id, display name], or False when empty. */
  Long many2one(String field) {
    Object v = field(field);
    if (Boolean.FALSE.equals(v)) {
      return null;
    }
    if (v instanceof Object[] pair && pair.length == 2 && pair[0] instanceof Integer target) {
      return target.longValue();
    }
    throw wrong(field, v, "[id, name]");
  }

  /** A many2one that must be set. */
  long requiredMany2one(String field) {
    Long target = many2one(field);
    if (target == null) {
      throw new OdooProtocolException(where(field) + " is empty");
    }
    return target;
  }

  /** An x2many's ids (Odoo sends a list, empty when there are none). */
  List<Long> ids(String field) {
    Object v = field(field);
    if (v instanceof Object[] array) {
      List<Long> ids = new ArrayList<>(array.length);
      for (Object item : array) {
        if (!(item instanceof Integer i)) {
          throw wrong(field, v, "a list of ids");
        }
        ids.add(i.longValue());
      }
      return ids;
    }
    if (Boolean.FALSE.equals(v)) {
      return List.of();
    }
    throw wrong(field, v, "a list of ids");
  }

  private Object field(String field) {
    if (!values.containsKey(field)) {
      throw new OdooProtocolException(where(field) + " is missing from the reply");
    }
    return values.get(field);
  }

  private OdooProtocolException wrong(String field, Object value, String expected) {
    return new OdooProtocolException(where(field) + " is " + typeName(value) + ", not " + expected);
  }

  private String where(String field) {
    return model + "." + method + " record " + id + ": field " + field;
  }

  static String typeName(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Object[]) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a dict";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase();
  }
}
