package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The six utility networks. Pipe segments and nodes carry their network in the {@code network} property. */
public enum Network {
  /** Water supply. */
  WATER,
  /** Drainage (storm water and sewage); flow runs towards the outfall, its "source". */
  DRAINAGE,
  /** Natural gas. */
  GAS,
  /** Power cables (valves are disconnectors). */
  POWER,
  /** Telecommunication ducts. */
  TELECOM,
  /** District heating and cooling. */
  HEAT;

  /**
   * The wire name, such as {@code water}.
   *
   * @return the name
   */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @param name such as {@code gas}
   * @return the network
   */
  @JsonCreator
  public static Network fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
