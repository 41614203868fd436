package io.shudu.exchange;

import java.util.List;

/**
 * The usage policy of an offer.
 *
 * @param purposes permitted purposes
 * @param maxDurationDays longest permitted use
 * @param territories permitted territories (ISO 3166 codes, CN for mainland China)
 * @param crossBorder whether transfer outside mainland China is permitted
 * @param redistribution the most redistribution permitted
 * @param personalInformation the product's personal-information category
 */
public record UsagePolicy(List<String> purposes, int maxDurationDays, List<String> territories, boolean crossBorder,
    Redistribution redistribution, PersonalInformation personalInformation) {
  /** Copies lists. */
  public UsagePolicy {
    purposes = purposes == null ? List.of() : List.copyOf(purposes);
    territories = territories == null ? List.of() : List.copyOf(territories);
  }
}
