package io.shudu.iot.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.core.internal.Json;

/** JSON helpers of the IoT client: the SDK mapper and SensorThings control-information names. */
public final class IotJson {
  /** The id member of SensorThings JSON. */
  public static final String ID = "@iot.id";

  private IotJson() {}

  /**
   * The shared SDK mapper.
   *
   * @return the mapper
   */
  public static ObjectMapper mapper() {
    return Json.mapper();
  }
}
