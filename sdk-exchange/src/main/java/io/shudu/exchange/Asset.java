package io.shudu.exchange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A work.
 *
 * @param id asset id, collection-tokenId
 * @param collectionId collection
 * @param tokenId token id from 1
 * @param name display name
 * @param revealed whether the traits are public yet
 * @param traits layer to value, see {@link ExchangeAssets#renderSvg(Map)}; empty before the reveal
 * @param rarityScore higher is rarer (0 before the reveal)
 * @param rarityRank 1 is the rarest (0 before the reveal)
 * @param hash the work hash committed in the provenance hash (null before the reveal)
 * @param claimed whether someone holds it
 * @param owner your account holding it, or null
 * @param provenance history (single-asset reads only)
 */
public record Asset(String id, String collectionId, int tokenId, String name, boolean revealed,
    Map<String, String> traits,
    long rarityScore, int rarityRank, String hash, boolean claimed, String owner, List<ProvenanceEvent> provenance) {
  /** Copies. */
  public Asset {
    traits = traits == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(traits));
    provenance = provenance == null ? List.of() : List.copyOf(provenance);
  }
}
