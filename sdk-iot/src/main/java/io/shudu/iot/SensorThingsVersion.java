package io.shudu.iot;

/** The OGC SensorThings API version an {@link IotClient} speaks; {@link #V1_1} by default. */
public enum SensorThingsVersion {
  /** SensorThings API 1.0 (OGC 15-078r6), served at {@code /iot/v1.0}. */
  V1_0("v1.0"),
  /** SensorThings API 1.1 (OGC 18-088), served at {@code /iot/v1.1}. */
  V1_1("v1.1");

  private final String pathSegment;

  SensorThingsVersion(String pathSegment) {
    this.pathSegment = pathSegment;
  }

  /**
   * The version's path segment below {@code /iot/}.
   *
   * @return {@code v1.0} or {@code v1.1}
   */
  public String pathSegment() {
    return pathSegment;
  }
}
