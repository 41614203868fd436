package io.shudu.exchange;

import java.time.Instant;

/**
 * One step of a work's history.
 *
 * @param type MINTED, CLAIMED or TRANSFERRED
 * @param from previous owner (your account name, or "(another tenant)"), or null
 * @param to new owner, or null
 * @param at when
 * @param memo note
 */
public record ProvenanceEvent(String type, String from, String to, Instant at, String memo) {}
