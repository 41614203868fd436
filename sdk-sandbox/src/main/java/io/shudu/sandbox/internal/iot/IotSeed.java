package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deterministic demo data of the programme's AIoT feeds (Jiading smart traffic, 5G fire alarms, 5G emergency
 * dispatch, Qingpu water quality, Jiabao smart bay) and the simulators that keep adding live observations. Values
 * come from the sandbox seed; timestamps are anchored at the hour the sandbox was built.
 */
final class IotSeed {
  static final String TRAFFIC = "traffic";
  static final String FIRE = "fire-alarms";
  static final String DISPATCH = "dispatch";
  static final String WATER = "water-quality";
  static final String BAY = "smart-bay";
  static final List<String> FEEDS = List.of(TRAFFIC, FIRE, DISPATCH, WATER, BAY);

  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final String MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
  private static final String CATEGORY = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CategoryObservation";
  private static final String TRUTH = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_TruthObservation";
  private static final String COUNT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation";
  private static final String COMPLEX = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Observation";
  private static final String UCUM = "http://unitsofmeasure.org/ucum.html#";

  /** Produces the next simulated result of a datastream. */
  @FunctionalInterface
  interface Gen {
    JsonNode next(Random rnd, long tick);
  }

  private record Sim(long datastream, Gen gen) {}

  private final IotService service;
  private final SandboxContext context;
  private final Map<String, List<Sim>> sims = new LinkedHashMap<>();
  private final Map<String, Ent> sensors = new LinkedHashMap<>();
  private final Map<String, Ent> properties = new LinkedHashMap<>();
  private final List<ScheduledFuture<?>> running = new ArrayList<>();
  private final Random rnd;
  private final Instant anchor;

  IotSeed(IotService service, SandboxContext context, Instant anchor) {
    this.service = service;
    this.context = context;
    this.rnd = new Random(context.seed());
    this.anchor = anchor;
    FEEDS.forEach(f -> sims.put(f, new ArrayList<>()));
  }

  // ------------------------------------------------------------------ seed

  void seed() {
    synchronized (service.store()) {
      traffic();
      fireAlarms();
      dispatch();
      waterQuality();
      smartBay();
    }
  }

  private void traffic() {
    Object[][] crossings = {
        {"嘉定 城北路/博乐路 路口", 121.2449, 31.3932}, {"嘉定 沪宜公路/叶城路 路口", 121.2501, 31.3745},
        {"嘉定 胜辛路/裕民南路 路口", 121.2628, 31.3556}, {"安亭 墨玉南路/安智路 路口", 121.1690, 31.2950},
        {"南翔 沪宜公路/德园路 路口", 121.3205, 31.2987}, {"嘉定新城 白银路/裕民南路 路口", 121.2605, 31.3420}};
    String[] phases = {"NS_GREEN", "NS_YELLOW", "ALL_RED", "EW_GREEN", "EW_YELLOW", "ALL_RED"};
    String[] events = {"EMERGENCY_VEHICLE_PRIORITY", "RED_LIGHT_VIOLATION_WARNING", "PEDESTRIAN_CROSSING_WARNING",
        "GREEN_LIGHT_OPTIMAL_SPEED_ADVISORY", "BUS_PRIORITY_REQUEST"};
    int i = 0;
    for (Object[] c : crossings) {
      String id = String.format("JD-X%02d", ++i);
      Ent thing = thing(c[0] + " 信号灯", "Jiading smart-traffic signalised intersection " + id
          + " with 5G roadside unit (vehicle-road coordination)", TRAFFIC, id, "intersection",
          point((double) c[1], (double) c[2]), (String) c[0]);
      datastream(thing, id + " signal phase", "Current signal phase of intersection " + id,
          unit("signal phase", "", "https://docs.shudu.io/iot/units#signal-phase"), CATEGORY,
          sensor("Signal controller SC-5G", "Adaptive traffic signal controller with 5G uplink"),
          property("Signal phase", "https://docs.shudu.io/iot/properties#signal-phase",
              "Phase of a traffic signal: NS_GREEN, NS_YELLOW, EW_GREEN, EW_YELLOW or ALL_RED"),
          (r, t) -> N.textNode(phases[(int) (t % phases.length)]), 24);
      datastream(thing, id + " vehicle flow", "Vehicles per hour through intersection " + id,
          unit("vehicles per hour", "{vehicle}/h", UCUM + "para-curly"), MEASUREMENT,
          sensor("Radar vehicle detector RD-77", "77 GHz radar vehicle counter"),
          property("Vehicle flow", "https://docs.shudu.io/iot/properties#vehicle-flow", "Vehicles per hour"),
          (r, t) -> N.numberNode(400 + r.nextInt(1400)), 24);
      datastream(thing, id + " V2X events", "Vehicle-road coordination events at intersection " + id,
          unit("event", "{event}", UCUM + "para-curly"), COMPLEX,
          sensor("Roadside unit RSU-C-V2X", "C-V2X roadside unit broadcasting coordination messages"),
          property("Vehicle-road coordination event", "https://docs.shudu.io/iot/properties#v2x-event",
              "A V2X event: type, vehicle and severity"),
          (r, t) -> {
            ObjectNode o = N.objectNode();
            o.put("event", events[r.nextInt(events.length)]);
            o.put("vehicleId", "沪" + (char) ('A' + r.nextInt(6)) + String.format("%05d", r.nextInt(100_000)));
            o.put("severity", 1 + r.nextInt(3));
            return o;
          }, 24);
    }
    Object[][] roads = {
        {"嘉定 叶城路 (城中路-沪宜公路) 施工段", 121.2466, 31.3770, 121.2520, 31.3748},
        {"安亭 曹安公路 (墨玉路-园福路) 施工段", 121.1630, 31.2860, 121.1720, 31.2871}};
    int j = 0;
    for (Object[] r : roads) {
      String id = String.format("JD-R%02d", ++j);
      ObjectNode line = N.objectNode().put("type", "LineString");
      ArrayNode coords = line.putArray("coordinates");
      coords.addArray().add((double) r[1]).add((double) r[2]);
      coords.addArray().add((double) r[3]).add((double) r[4]);
      Ent thing = thing((String) r[0], "Road segment " + id + " with planned works", TRAFFIC, id, "road-segment",
          line, (String) r[0]);
      datastream(thing, id + " closure", "Whether road segment " + id + " is closed",
          unit("closed", "{closed}", UCUM + "para-curly"), TRUTH,
          sensor("Traffic management system", "Jiading traffic police road-works register"),
          property("Road closure", "https://docs.shudu.io/iot/properties#road-closure",
              "true while the road segment is closed to traffic"),
          (rr, t) -> N.booleanNode((t / 6) % 2 == 0), 24);
    }
  }

  private void fireAlarms() {
    Object[][] sites = {
        {"嘉定 保利大厦", 121.2580, 31.3830}, {"嘉定区中心医院 门诊楼", 121.2575, 31.3807},
        {"同济大学嘉定校区 图书馆", 121.2152, 31.2865}, {"南翔 印象城", 121.3150, 31.2960},
        {"江桥 万达广场", 121.3348, 31.2480}};
    int i = 0;
    for (Object[] s : sites) {
      String id = String.format("FA-%03d", ++i);
      Ent thing = thing(s[0] + " 5G 烟感", "5G smoke and heat detector " + id + " at " + s[0], FIRE, id,
          "smoke-detector", point((double) s[1], (double) s[2]), (String) s[0]);
      Ent smoke = sensor("5G smoke detector NB-S1", "Photoelectric smoke detector with 5G RedCap uplink");
      datastream(thing, id + " smoke obscuration", "Smoke obscuration measured by detector " + id,
          unit("percent per metre", "%/m", UCUM + "para-29"), MEASUREMENT, smoke,
          property("Smoke obscuration", "https://docs.shudu.io/iot/properties#smoke-obscuration",
              "Light obscuration by smoke per metre"),
          (r, t) -> N.numberNode(round(r.nextDouble() * 0.8, 2)), 24);
      datastream(thing, id + " temperature", "Air temperature at detector " + id,
          unit("degree Celsius", "Cel", UCUM + "para-30"), MEASUREMENT, smoke,
          property("Air temperature", "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/",
              "Air temperature"),
          (r, t) -> N.numberNode(round(18 + r.nextDouble() * 9, 1)), 24);
      datastream(thing, id + " alarm", "Fire alarm state of detector " + id,
          unit("alarm", "{alarm}", UCUM + "para-curly"), TRUTH, smoke,
          property("Fire alarm", "https://docs.shudu.io/iot/properties#fire-alarm", "true while the alarm sounds"),
          (r, t) -> N.booleanNode(r.nextInt(40) == 0), 24);
    }
  }

  private void dispatch() {
    Object[][] stations = {
        {"嘉定区急救中心", 121.2540, 31.3860}, {"青浦区急救中心", 121.1240, 31.1500}, {"安亭急救分站", 121.1650, 31.2900}};
    String[] status = {"AVAILABLE", "DISPATCHED", "ON_SCENE", "TRANSPORTING", "AT_HOSPITAL", "AVAILABLE"};
    int i = 0;
    for (Object[] s : stations) {
      String id = String.format("EMS-S%02d", ++i);
      Ent station = thing((String) s[0], "Ambulance station " + id, DISPATCH, id, "ambulance-station",
          point((double) s[1], (double) s[2]), (String) s[0]);
      datastream(station, id + " available units", "Ambulances ready at station " + id,
          unit("ambulance", "{ambulance}", UCUM + "para-curly"), COUNT,
          sensor("Dispatch system", "120 emergency dispatch system"),
          property("Available ambulances", "https://docs.shudu.io/iot/properties#available-units",
              "Ambulances ready to dispatch"),
          (r, t) -> N.numberNode(r.nextInt(5)), 24);
      for (int u = 1; u <= 2; u++) {
        String unitId = id.replace("S", "U") + "-" + u;
        int offset = u;
        double lon = (double) s[1] + (rnd.nextDouble() - 0.5) * 0.02;
        double lat = (double) s[2] + (rnd.nextDouble() - 0.5) * 0.02;
        Ent unit = thing("救护车 " + unitId, "5G-connected ambulance " + unitId + " of " + s[0], DISPATCH, unitId,
            "ambulance", point(lon, lat), s[0] + " 附近");
        datastream(unit, unitId + " status", "Dispatch status of ambulance " + unitId,
            unit("status", "", "https://docs.shudu.io/iot/units#dispatch-status"), CATEGORY,
            sensor("Ambulance telematics 5G-T", "In-vehicle 5G telematics unit"),
            property("Dispatch status", "https://docs.shudu.io/iot/properties#dispatch-status",
                "AVAILABLE, DISPATCHED, ON_SCENE, TRANSPORTING or AT_HOSPITAL"),
            (r, t) -> N.textNode(status[(int) ((t + offset) % status.length)]), 24);
        datastream(unit, unitId + " response time", "Minutes from dispatch to arrival of ambulance " + unitId,
            unit("minute", "min", UCUM + "para-31"), MEASUREMENT,
            sensor("Ambulance telematics 5G-T", "In-vehicle 5G telematics unit"),
            property("Response time", "https://docs.shudu.io/iot/properties#response-time",
                "Minutes from dispatch to arrival on scene"),
            (r, t) -> N.numberNode(round(6 + r.nextDouble() * 10, 1)), 24);
      }
    }
  }

  private void waterQuality() {
    Object[][] stations = {
        {"淀山湖 湖心", 120.9630, 31.1170}, {"淀山湖 急水港入湖口", 120.9290, 31.1000},
        {"太浦河 金泽", 120.9220, 31.0400}, {"大莲湖", 120.9980, 31.0900}, {"淀浦河 青浦城区", 121.1100, 31.1520}};
    int i = 0;
    for (Object[] s : stations) {
      String id = String.format("QP-W%02d", ++i);
      Ent thing = thing(s[0] + " 水质自动监测站", "Qingpu automatic water-quality monitoring station " + id, WATER, id,
          "water-quality-station", point((double) s[1], (double) s[2]), (String) s[0]);
      Ent sonde = sensor("Multi-parameter sonde WQ-6", "Multi-parameter water-quality sonde (DO, pH, turbidity, "
          + "NH3-N, COD)");
      double base = rnd.nextDouble();
      datastream(thing, id + " DO", "Dissolved oxygen at " + s[0], unit("milligram per litre", "mg/L",
          UCUM + "para-30"), MEASUREMENT, sonde, property("Dissolved oxygen (DO)",
          "http://vocab.nerc.ac.uk/collection/P01/current/DOXYZZXX/", "Dissolved oxygen concentration"),
          (r, t) -> N.numberNode(round(6.5 + base + 1.2 * Math.sin(t / 24.0 * 2 * Math.PI) + r.nextGaussian() * 0.2,
              2)), 168);
      datastream(thing, id + " pH", "pH at " + s[0], unit("pH", "[pH]", UCUM + "para-45"), MEASUREMENT, sonde,
          property("pH", "http://vocab.nerc.ac.uk/collection/P01/current/PHXXZZXX/", "Acidity of the water"),
          (r, t) -> N.numberNode(round(7.3 + base * 0.4 + r.nextGaussian() * 0.1, 2)), 168);
      datastream(thing, id + " turbidity", "Turbidity at " + s[0],
          unit("nephelometric turbidity unit", "[NTU]", UCUM + "para-45"), MEASUREMENT, sonde,
          property("Turbidity", "http://vocab.nerc.ac.uk/collection/P01/current/TURBXXXX/", "Turbidity"),
          (r, t) -> N.numberNode(round(12 + base * 15 + Math.abs(r.nextGaussian()) * 4, 1)), 168);
      datastream(thing, id + " NH3-N", "Ammonia nitrogen at " + s[0], unit("milligram per litre", "mg/L",
          UCUM + "para-30"), MEASUREMENT, sonde, property("Ammonia nitrogen (NH3-N)",
          "http://vocab.nerc.ac.uk/collection/P01/current/AMONZZXX/", "Ammonia nitrogen concentration"),
          (r, t) -> N.numberNode(round(0.25 + base * 0.5 + Math.abs(r.nextGaussian()) * 0.08, 3)), 168);
      datastream(thing, id + " COD", "Chemical oxygen demand (permanganate index) at " + s[0],
          unit("milligram per litre", "mg/L", UCUM + "para-30"), MEASUREMENT, sonde,
          property("Chemical oxygen demand (COD)", "https://docs.shudu.io/iot/properties#cod",
              "Chemical oxygen demand, permanganate index"),
          (r, t) -> N.numberNode(round(14 + base * 6 + r.nextGaussian(), 1)), 168);
    }
  }

  private void smartBay() {
    Object[][] poles = {
        {"嘉宝智慧湾 北门感知杆", 121.4170, 31.3418}, {"嘉宝智慧湾 中心广场感知杆", 121.4192, 31.3402},
        {"嘉宝智慧湾 停车场感知杆", 121.4210, 31.3390}};
    int i = 0;
    for (Object[] p : poles) {
      String id = String.format("JB-P%02d", ++i);
      Ent thing = thing((String) p[0], "Jiabao smart-bay multi-sensor perception pole " + id, BAY, id,
          "perception-pole", point((double) p[1], (double) p[2]), (String) p[0]);
      Ent camera = sensor("AI perception camera PC-8", "Edge AI camera counting people and vehicles");
      datastream(thing, id + " pedestrians", "People passing pole " + id + " per hour",
          unit("persons per hour", "{person}/h", UCUM + "para-curly"), MEASUREMENT, camera,
          property("Pedestrian flow", "https://docs.shudu.io/iot/properties#pedestrian-flow", "People per hour"),
          (r, t) -> N.numberNode(50 + r.nextInt(600)), 24);
      datastream(thing, id + " parking occupancy", "Occupied share of parking bays seen from pole " + id,
          unit("percent", "%", UCUM + "para-29"), MEASUREMENT, camera,
          property("Parking occupancy", "https://docs.shudu.io/iot/properties#parking-occupancy",
              "Share of occupied parking bays"),
          (r, t) -> N.numberNode(round(20 + r.nextDouble() * 75, 1)), 24);
      datastream(thing, id + " noise", "Sound pressure level at pole " + id,
          unit("decibel", "dB", UCUM + "para-46"), MEASUREMENT,
          sensor("Noise monitor NM-2", "Class 2 sound level meter"),
          property("Noise level", "https://docs.shudu.io/iot/properties#noise", "Sound pressure level"),
          (r, t) -> N.numberNode(round(45 + r.nextDouble() * 25, 1)), 24);
    }
  }

  // ------------------------------------------------------------------ builders

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private static ObjectNode point(double lon, double lat) {
    ObjectNode p = N.objectNode().put("type", "Point");
    p.putArray("coordinates").add(lon).add(lat);
    return p;
  }

  private static ObjectNode unit(String name, String symbol, String definition) {
    return N.objectNode().put("name", name).put("symbol", symbol).put("definition", definition);
  }

  private Ent thing(String name, String description, String feed, String code, String type, ObjectNode geometry,
      String placeName) {
    ObjectNode t = N.objectNode().put("name", name).put("description", description);
    t.putObject("properties").put("feed", feed).put("code", code).put("type", type).put("district",
        districtOf(geometry));
    ObjectNode loc = t.putArray("Locations").addObject();
    loc.put("name", placeName).put("description", placeName + " (" + districtOf(geometry) + ", Shanghai)")
        .put("encodingType", "application/vnd.geo+json").set("location", geometry);
    return service.build(Kind.THING, t, null, null, new ArrayList<>());
  }

  private static String districtOf(ObjectNode geometry) {
    JsonNode c = geometry.get("coordinates");
    double lon = c.get(0).isArray() ? c.get(0).get(0).asDouble() : c.get(0).asDouble();
    double lat = c.get(0).isArray() ? c.get(0).get(1).asDouble() : c.get(1).asDouble();
    if (lon > 121.38) {
      return "宝山区";
    }
    return lat < 31.2 ? "青浦区" : "嘉定区";
  }

  private Ent sensor(String name, String description) {
    return sensors.computeIfAbsent(name, n -> {
      ObjectNode s = N.objectNode().put("name", n).put("description", description)
          .put("encodingType", "text/html").put("metadata", "https://docs.shudu.io/iot/sensors/"
              + n.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
      return service.build(Kind.SENSOR, s, null, null, new ArrayList<>());
    });
  }

  private Ent property(String name, String definition, String description) {
    return properties.computeIfAbsent(name, n -> {
      ObjectNode p = N.objectNode().put("name", n).put("definition", definition).put("description", description);
      return service.build(Kind.OBSERVED_PROPERTY, p, null, null, new ArrayList<>());
    });
  }

  private Ent datastream(Ent thing, String name, String description, ObjectNode unit, String type, Ent sensor,
      Ent property, Gen gen, int hours) {
    ObjectNode d = N.objectNode().put("name", name).put("description", description).put("observationType", type);
    d.set("unitOfMeasurement", unit);
    d.set("Thing", N.objectNode().put("@iot.id", thing.id));
    d.set("Sensor", N.objectNode().put("@iot.id", sensor.id));
    d.set("ObservedProperty", N.objectNode().put("@iot.id", property.id));
    Ent ds = service.build(Kind.DATASTREAM, d, null, null, new ArrayList<>());
    String feed = thing.get("properties").get("feed").asText();
    for (int h = hours; h >= 1; h--) {
      String time = anchor.minus(h, ChronoUnit.HOURS).toString();
      ObjectNode o = N.objectNode().put("phenomenonTime", time).put("resultTime", time);
      o.set("result", gen.next(rnd, hours - h));
      o.set("Datastream", N.objectNode().put("@iot.id", ds.id));
      service.build(Kind.OBSERVATION, o, null, null, new ArrayList<>());
    }
    sims.get(feed).add(new Sim(ds.id, gen));
    return ds;
  }

  // ------------------------------------------------------------------ simulators

  /** Starts one simulator per feed at {@code context.simulationRate()} observations per second (0: none). */
  synchronized void startSimulators() {
    double rate = context.simulationRate();
    if (rate <= 0 || !running.isEmpty()) {
      return;
    }
    long periodMicros = Math.max(100, (long) (1_000_000 / rate));
    for (Map.Entry<String, List<Sim>> feed : sims.entrySet()) {
      List<Sim> streams = feed.getValue();
      if (streams.isEmpty()) {
        continue;
      }
      Random r = new Random(context.seed() ^ feed.getKey().hashCode());
      long[] tick = {0};
      running.add(context.scheduler().scheduleAtFixedRate(() -> {
        try {
          Sim s = streams.get((int) (tick[0] % streams.size()));
          tick[0]++;
          String now = context.clock().instant().truncatedTo(ChronoUnit.MILLIS).toString();
          service.addObservation(s.datastream(), now, s.gen().next(r, tick[0] + 1000));
        } catch (RuntimeException e) {
          // a simulator never stops the scheduler; the next tick tries again
        }
      }, periodMicros, periodMicros, TimeUnit.MICROSECONDS));
    }
  }

  synchronized void stopSimulators() {
    running.forEach(f -> f.cancel(false));
    running.clear();
  }
}
