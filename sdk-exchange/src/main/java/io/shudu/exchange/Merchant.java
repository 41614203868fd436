package io.shudu.exchange;

import java.util.List;

/**
 * A data merchant.
 *
 * @param id merchant id
 * @param name name
 * @param type merchant type
 * @param typeLabel the type's display name
 * @param region where it is registered
 * @param qualifications qualifications
 */
public record Merchant(String id, LocalizedText name, MerchantType type, LocalizedText typeLabel, String region,
    List<Qualification> qualifications) {
  /** Copies lists. */
  public Merchant {
    qualifications = qualifications == null ? List.of() : List.copyOf(qualifications);
  }
}
