package io.shudu.exchange;

/** Personal-information category of a product (PIPL). */
public enum PersonalInformation {
  /** No personal information. */
  NONE,
  /** De-identified personal information. */
  DEIDENTIFIED,
  /** Personal information. */
  PERSONAL,
  /** Sensitive personal information. */
  SENSITIVE
}
