package io.outlooksync.sidecar.core;

/**
 * One Odoo event linked to one Outlook event in one mailbox, with what each side looked like when they were
 * last brought into agreement. Graph ids differ per mailbox, so the same meeting seen by several connected users
 * has one mapping per mailbox; {@code iCalUId} ties them together.
 *
 * @param id            the store's id, 0 before it is saved
 * @param odooEventId   null while the Odoo side does not exist yet (or was deleted)
 * @param graphId       the immutable Graph id; null while the Outlook side does not exist yet
 * @param odooSynced    the Odoo side's last synced fields (JSON), for the three-way merge
 * @param graphSynced   the Outlook side's last synced fields (JSON)
 */
public record Mapping(
    long id,
    long accountId,
    Long odooEventId,
    String graphId,
    String iCalUId,
    String changeKey,
    String seriesGraphId,
    Long odooRecurrenceId,
    String odooSynced,
    String graphSynced,
    String odooHash,
    String graphHash) {

  public Mapping withId(long newId) {
    return new Mapping(newId, accountId, odooEventId, graphId, iCalUId, changeKey, seriesGraphId, odooRecurrenceId,
        odooSynced, graphSynced, odooHash, graphHash);
  }
}
