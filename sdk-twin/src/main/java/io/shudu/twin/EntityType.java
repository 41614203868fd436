package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The entity types of the city twin, with their wire names (such as {@code pipeSegment}). */
public enum EntityType {
  /** One of the five new towns (Jiading, Qingpu, Songjiang, Fengxian, Nanhui). */
  NEW_TOWN("newTown"),
  /** An administrative district or a functional area such as the Lingang synergy zone. */
  DISTRICT("district"),
  /** A city-level demonstration zone of the digital transformation. */
  DEMONSTRATION_ZONE("demonstrationZone"),
  /** An application scene of the programme. */
  SCENE("scene"),
  /** A building (height, floors, use). */
  BUILDING("building"),
  /** An underground structure (depth range, kind). */
  UNDERGROUND_STRUCTURE("undergroundStructure"),
  /** A pipe (or cable) segment of a utility network. */
  PIPE_SEGMENT("pipeSegment"),
  /** A node of a utility network: source, valve, junction, manhole or service connection. */
  PIPE_NODE("pipeNode"),
  /** A road. */
  ROAD("road"),
  /** A transit line such as T1. */
  TRANSIT_LINE("transitLine"),
  /** A transit station. */
  TRANSIT_STATION("transitStation"),
  /** A facility such as the planetarium or a factory. */
  FACILITY("facility"),
  /** A sensor, linked to IoT datastream ids. */
  SENSOR("sensor");

  /** The constants, without the copy {@code values()} makes per call (decoding looks one up per entity). */
  private static final EntityType[] ALL = values();

  private final String wireName;

  EntityType(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name on the wire, such as {@code pipeSegment}.
   *
   * @return the name
   */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a wire name.
   *
   * @param name such as {@code building}
   * @return the type
   */
  @JsonCreator
  public static EntityType fromWireName(String name) {
    for (EntityType t : ALL) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown entity type '" + name + "'");
  }
}
