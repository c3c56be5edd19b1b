package io.outlooksync.sidecar.odoo;

/**
 * One calendar.alarm, as the mapping needs it: {@code alarmType} is notification or email (sms with the sms
 * module), {@code interval} minutes, hours or days.
 */
public record OdooAlarm(long id, String alarmType, int duration, String interval) {

  /** How long before the start it fires, or null for an interval Odoo does not define. */
  public Integer minutesBefore() {
    if (interval == null) {
      return null;
    }
    return switch (interval) {
      case "minutes" -> duration;
      case "hours" -> duration * 60;
      case "days" -> duration * 1440;
      default -> null;
    };
  }

  /** Reminders Outlook can carry: a pop-up (notification) or an e-mail; not sms, which Outlook has no notion of. */
  public boolean syncable() {
    return "notification".equals(alarmType) || "email".equals(alarmType);
  }
}
