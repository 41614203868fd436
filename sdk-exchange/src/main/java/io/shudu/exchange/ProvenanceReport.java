package io.shudu.exchange;

/**
 * The outcome of a provenance verification.
 *
 * @param collectionId collection
 * @param works works checked
 * @param uniqueTraitSets distinct trait combinations among them
 * @param computedHash provenance hash recomputed from the works
 * @param committedHash the hash the collection committed
 */
public record ProvenanceReport(String collectionId, int works, int uniqueTraitSets, String computedHash,
    String committedHash) {}
