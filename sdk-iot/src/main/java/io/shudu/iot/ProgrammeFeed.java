package io.shudu.iot;

/**
 * The programme's AIoT feeds. Each is a live feed name (for {@link IotFeeds#subscribe(ProgrammeFeed, io.shudu.core.FeedOptions, io.shudu.core.FeedHandler)}) and the value of
 * {@code properties/feed} on its Things, so {@link IotFeeds#things(ProgrammeFeed)} lists its devices.
 */
public enum ProgrammeFeed {
  /** Jiading smart traffic: signal phases, vehicle flow, vehicle-road (V2X) coordination events, road closures. */
  TRAFFIC("traffic"),
  /** 5G fire alarms: smoke obscuration ({@code %/m}), temperature ({@code Cel}), alarm state. */
  FIRE_ALARMS("fire-alarms"),
  /** 5G emergency dispatch: ambulance stations and units, status and response times ({@code min}). */
  DISPATCH("dispatch"),
  /** Qingpu river and lake water quality: DO, NH3-N, COD ({@code mg/L}), pH ({@code [pH]}), turbidity ({@code [NTU]}). */
  WATER_QUALITY("water-quality"),
  /** Jiabao smart-bay perception: pedestrian flow, parking occupancy ({@code %}), noise ({@code dB}). */
  SMART_BAY("smart-bay");

  /** Dissolved oxygen in mg/L. */
  public static final UnitOfMeasurement MILLIGRAM_PER_LITRE = UnitOfMeasurement.ucum("milligram per litre", "mg/L");
  /** pH. */
  public static final UnitOfMeasurement PH = UnitOfMeasurement.ucum("pH", "[pH]");
  /** Nephelometric turbidity units. */
  public static final UnitOfMeasurement NTU = UnitOfMeasurement.ucum("nephelometric turbidity unit", "[NTU]");
  /** Degrees Celsius. */
  public static final UnitOfMeasurement CELSIUS = UnitOfMeasurement.ucum("degree Celsius", "Cel");
  /** Minutes. */
  public static final UnitOfMeasurement MINUTE = UnitOfMeasurement.ucum("minute", "min");
  /** Percent. */
  public static final UnitOfMeasurement PERCENT = UnitOfMeasurement.ucum("percent", "%");
  /** Vehicles per hour. */
  public static final UnitOfMeasurement VEHICLES_PER_HOUR = UnitOfMeasurement.ucum("vehicles per hour", "{vehicle}/h");

  private final String feedName;

  ProgrammeFeed(String feedName) {
    this.feedName = feedName;
  }

  /**
   * The feed's name, such as {@code water-quality}.
   *
   * @return the name
   */
  public String feedName() {
    return feedName;
  }
}
