package io.shudu.exchange;

import java.util.Locale;

/**
 * What the buyer intends to do with the data.
 *
 * @param purpose purpose, such as research or urban-planning
 * @param durationDays how long, 1-36500 days
 * @param territory where the data will be used (ISO 3166 alpha-2, CN for mainland China)
 * @param crossBorder whether the data leaves mainland China (implied when territory is not CN)
 * @param redistribution how far it will be passed on
 */
public record IntendedUse(String purpose, int durationDays, String territory, boolean crossBorder,
    Redistribution redistribution) {
  /** Validates with messages naming the field. */
  public IntendedUse {
    if (purpose == null || purpose.isBlank()) {
      throw new IllegalArgumentException("IntendedUse.purpose must not be blank (for example 'research')");
    }
    if (durationDays < 1 || durationDays > 36_500) {
      throw new IllegalArgumentException("IntendedUse.durationDays must be between 1 and 36500, got " + durationDays);
    }
    if (territory == null || !territory.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException("IntendedUse.territory must be an ISO 3166 alpha-2 code such as CN or SG, "
          + "got " + (territory == null ? "null" : "'" + territory + "'"));
    }
    if (redistribution == null) {
      throw new NullPointerException("IntendedUse.redistribution must not be null; use Redistribution.NONE");
    }
  }

  /**
   * A use inside mainland China without redistribution.
   *
   * @param purpose purpose
   * @param durationDays days
   * @return the use
   */
  public static IntendedUse of(String purpose, int durationDays) {
    return new IntendedUse(purpose, durationDays, "CN", false, Redistribution.NONE);
  }

  /**
   * The same use in another territory; anything but CN is a cross-border transfer.
   *
   * @param t ISO 3166 alpha-2 code
   * @return a copy
   */
  public IntendedUse withTerritory(String t) {
    String code = t == null ? null : t.toUpperCase(Locale.ROOT);
    return new IntendedUse(purpose, durationDays, code, crossBorder || !"CN".equals(code), redistribution);
  }

  /**
   * The same use with a cross-border transfer (or without).
   *
   * @param cb whether the data leaves mainland China
   * @return a copy
   */
  public IntendedUse withCrossBorder(boolean cb) {
    return new IntendedUse(purpose, durationDays, territory, cb, redistribution);
  }

  /**
   * The same use with redistribution.
   *
   * @param r redistribution
   * @return a copy
   */
  public IntendedUse withRedistribution(Redistribution r) {
    return new IntendedUse(purpose, durationDays, territory, crossBorder, r);
  }
}
