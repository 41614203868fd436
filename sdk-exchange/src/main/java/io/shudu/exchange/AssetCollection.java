package io.shudu.exchange;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A collection.
 *
 * @param id collection id
 * @param name name
 * @param supply number of works
 * @param issued works claimed so far
 * @param provenanceHash SHA-256 over all work hashes in token order, committed before reveal
 * @param provenanceCommittedAt when the hash was committed
 * @param revealedAt when the traits were revealed
 * @param revealed whether the works' traits are public yet (the provenance hash always is)
 * @param startingIndex offset of the claim order, fixed at reveal
 * @param traitLayers trait layers and their values
 * @param rules the board's rules
 */
public record AssetCollection(String id, LocalizedText name, int supply, int issued, String provenanceHash,
    Instant provenanceCommittedAt, Instant revealedAt, boolean revealed, int startingIndex,
    Map<String, List<String>> traitLayers, List<String> rules) {}
