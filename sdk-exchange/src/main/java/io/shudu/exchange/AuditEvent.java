package io.shudu.exchange;

/**
 * One event of an order's chain.
 *
 * @param seq sequence number from 1
 * @param orderId order
 * @param type such as order.requested, order.finalized, delivery.receipt_issued
 * @param actor the authenticated party that caused the event: {@code tenant:<tenant id>} for a step taken with a
 *     tenant's credentials, {@code merchant:<merchant id>} or {@code exchange} for the counterparties' own steps
 * @param at time, exactly as hashed
 * @param detail detail, exactly as hashed
 * @param prevHash previous event's hash (64 zeros for the first)
 * @param hash SHA-256 of this event chained to prevHash
 */
public record AuditEvent(long seq, String orderId, String type, String actor, String at, String detail,
    String prevHash, String hash) {}
