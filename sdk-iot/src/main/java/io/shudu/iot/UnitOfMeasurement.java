package io.shudu.iot;

/**
 * The unit of a Datastream's results; the programme uses UCUM codes ({@code mg/L}, {@code Cel}, {@code [pH]}) as
 * symbols.
 *
 * @param name human-readable name, such as {@code milligram per litre}
 * @param symbol UCUM code, such as {@code mg/L}
 * @param definition URI defining the unit
 */
public record UnitOfMeasurement(String name, String symbol, String definition) {
  /** The UCUM specification, the default definition of {@link #ucum}. */
  public static final String UCUM = "http://unitsofmeasure.org/ucum.html";

  /**
   * A UCUM unit.
   *
   * @param name human-readable name
   * @param ucumCode the UCUM code, such as {@code mg/L}
   * @return the unit
   */
  public static UnitOfMeasurement ucum(String name, String ucumCode) {
    return new UnitOfMeasurement(name, ucumCode, UCUM);
  }
}
