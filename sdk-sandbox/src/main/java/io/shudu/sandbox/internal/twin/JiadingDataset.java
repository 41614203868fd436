package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The twin's programme slice outside Lingang, which joins the twin to the IoT feeds: the road network of Jiading new
 * town (the smart-traffic demonstration area, with the road segments whose closures the traffic feed announces), the
 * ambulance stations of the 5G emergency-dispatch platform, and a sensor entity for every device of the IoT feeds
 * (traffic signals, 5G fire detectors, Qingpu water-quality stations, Jiabao smart-bay poles). Each carries the IoT
 * Thing's {@code properties.code} as {@code iotThingId} and its Datastream names as {@code datastreamIds}, so a partner
 * goes from a twin sensor to its live observations. Deterministic; the IoT seed uses the same codes and positions.
 */
final class JiadingDataset {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  private static final String[] TRAFFIC = {"signal phase", "vehicle flow", "V2X events"};
  private static final String[] FIRE = {"smoke obscuration", "temperature", "alarm"};
  private static final String[] WATER = {"DO", "pH", "turbidity", "NH3-N", "COD"};
  private static final String[] BAY = {"pedestrians", "parking occupancy", "noise"};

  /** Road junctions: id, name, lon, lat. */
  static final Object[][] JUNCTIONS = {
      {"jd-j01", "城北路/博乐路", 121.2449, 31.3932},
      {"jd-j02", "城北路/沪宜公路", 121.2580, 31.3900},
      {"jd-j03", "叶城路/城中路", 121.2466, 31.3770},
      {"jd-j04", "叶城路/沪宜公路（东）", 121.2520, 31.3748},
      {"jd-j05", "沪宜公路/叶城路", 121.2501, 31.3745},
      {"jd-j06", "城中路/塔城路", 121.2440, 31.3650},
      {"jd-j07", "叶城路/裕民南路", 121.2600, 31.3660},
      {"jd-j08", "胜辛路/裕民南路", 121.2628, 31.3556},
      {"jd-j09", "胜辛路/城中路", 121.2470, 31.3540},
      {"jd-j10", "白银路/裕民南路", 121.2605, 31.3420},
      {"jd-j11", "城北路/裕民南路", 121.2650, 31.3800},
      {"jd-j12", "博乐路/西大街", 121.2380, 31.3800},
  };

  /** Road segments: id, name, from junction, to junction, IoT thing id or null. */
  static final String[][] SEGMENTS = {
      {"jd-road-01", "城北路", "jd-j01", "jd-j02", null},
      {"jd-road-02", "博乐路", "jd-j01", "jd-j12", null},
      {"jd-road-03", "叶城路（西段）", "jd-j12", "jd-j03", null},
      {"jd-road-04", "叶城路（城中路-沪宜公路）", "jd-j03", "jd-j04", "JD-R01"},
      {"jd-road-05", "沪宜公路（叶城路口）", "jd-j04", "jd-j05", null},
      {"jd-road-06", "沪宜公路（北段）", "jd-j05", "jd-j02", null},
      {"jd-road-07", "城北路（东段）", "jd-j02", "jd-j11", null},
      {"jd-road-08", "裕民南路（北段）", "jd-j11", "jd-j07", null},
      {"jd-road-09", "叶城路（东段）", "jd-j04", "jd-j07", null},
      {"jd-road-10", "沪宜公路（南段）", "jd-j05", "jd-j06", null},
      {"jd-road-11", "城中路（北段）", "jd-j12", "jd-j06", null},
      {"jd-road-12", "城中路（南段）", "jd-j06", "jd-j09", null},
      {"jd-road-13", "胜辛路", "jd-j09", "jd-j08", null},
      {"jd-road-14", "裕民南路（中段）", "jd-j07", "jd-j08", null},
      {"jd-road-15", "裕民南路（南段）", "jd-j08", "jd-j10", null},
      {"jd-road-16", "白银路", "jd-j09", "jd-j10", null},
  };

  /** Ambulance stations of the 5G emergency-dispatch platform: id, name, lon, lat, IoT thing id. */
  static final Object[][] AMBULANCE_STATIONS = {
      {"ems-station-jiading", "嘉定区急救中心", 121.2540, 31.3860, "EMS-S01"},
      {"ems-station-qingpu", "青浦区急救中心", 121.1240, 31.1500, "EMS-S02"},
      {"ems-station-anting", "安亭急救分站", 121.1650, 31.2900, "EMS-S03"},
  };

  /** IoT devices mirrored as twin sensors: code, name, lon, lat, feed, datastream name suffixes. */
  static final Object[][] IOT_DEVICES = {
      {"JD-X01", "嘉定 城北路/博乐路 路口 信号灯", 121.2449, 31.3932, "traffic", TRAFFIC},
      {"JD-X02", "嘉定 沪宜公路/叶城路 路口 信号灯", 121.2501, 31.3745, "traffic", TRAFFIC},
      {"JD-X03", "嘉定 胜辛路/裕民南路 路口 信号灯", 121.2628, 31.3556, "traffic", TRAFFIC},
      {"JD-X04", "安亭 墨玉南路/安智路 路口 信号灯", 121.1690, 31.2950, "traffic", TRAFFIC},
      {"JD-X05", "南翔 沪宜公路/德园路 路口 信号灯", 121.3205, 31.2987, "traffic", TRAFFIC},
      {"JD-X06", "嘉定新城 白银路/裕民南路 路口 信号灯", 121.2605, 31.3420, "traffic", TRAFFIC},
      {"FA-001", "嘉定 保利大厦 5G 烟感", 121.2580, 31.3830, "fire-alarms", FIRE},
      {"FA-002", "嘉定区中心医院 门诊楼 5G 烟感", 121.2575, 31.3807, "fire-alarms", FIRE},
      {"FA-003", "同济大学嘉定校区 图书馆 5G 烟感", 121.2152, 31.2865, "fire-alarms", FIRE},
      {"FA-004", "南翔 印象城 5G 烟感", 121.3150, 31.2960, "fire-alarms", FIRE},
      {"FA-005", "江桥 万达广场 5G 烟感", 121.3348, 31.2480, "fire-alarms", FIRE},
      {"QP-W01", "淀山湖 湖心 水质自动监测站", 120.9630, 31.1170, "water-quality", WATER},
      {"QP-W02", "淀山湖 急水港入湖口 水质自动监测站", 120.9290, 31.1000, "water-quality", WATER},
      {"QP-W03", "太浦河 金泽 水质自动监测站", 120.9220, 31.0400, "water-quality", WATER},
      {"QP-W04", "大莲湖 水质自动监测站", 120.9980, 31.0900, "water-quality", WATER},
      {"QP-W05", "淀浦河 青浦城区 水质自动监测站", 121.1100, 31.1520, "water-quality", WATER},
      {"JB-P01", "嘉宝智慧湾 北门感知杆", 121.4170, 31.3418, "smart-bay", BAY},
      {"JB-P02", "嘉宝智慧湾 中心广场感知杆", 121.4192, 31.3402, "smart-bay", BAY},
      {"JB-P03", "嘉宝智慧湾 停车场感知杆", 121.4210, 31.3390, "smart-bay", BAY},
  };

  private JiadingDataset() {}

  /** Adds the slice; call after the programme entities exist, under the store's write lock. */
  static void generate(TwinStore store) {
    java.util.Map<String, double[]> at = new java.util.HashMap<>();
    for (Object[] j : JUNCTIONS) {
      at.put((String) j[0], new double[] {(double) j[2], (double) j[3]});
    }
    for (String[] s : SEGMENTS) {
      double[][] line = {at.get(s[2]), at.get(s[3])};
      ObjectNode p = NF.objectNode();
      value(p, "name", s[1]);
      value(p, "fromJunction", s[2]);
      value(p, "toJunction", s[3]);
      p.putObject("length").put("value", Math.round(Geo.length(line) * 10) / 10.0).put("unit", "m");
      if (s[4] != null) {
        value(p, "iotThingId", s[4]);
      }
      put(store, s[0], "road", p, Geo.lineString(line));
      relate(store, "newtown-jiading", s[0]);
    }
    for (Object[] a : AMBULANCE_STATIONS) {
      ObjectNode p = NF.objectNode();
      value(p, "name", (String) a[1]);
      value(p, "kind", "ambulance-station");
      value(p, "iotThingId", (String) a[4]);
      put(store, (String) a[0], "facility", p, Geo.point((double) a[2], (double) a[3]));
    }
    for (Object[] d : IOT_DEVICES) {
      String code = (String) d[0];
      ObjectNode p = NF.objectNode();
      value(p, "name", (String) d[1]);
      value(p, "iotThingId", code);
      value(p, "feed", (String) d[4]);
      com.fasterxml.jackson.databind.node.ArrayNode ids = p.putObject("datastreamIds").putArray("value");
      for (String suffix : (String[]) d[5]) {
        ids.add(code + " " + suffix);
      }
      put(store, "iot-" + code.toLowerCase(java.util.Locale.ROOT), "sensor", p, Geo.point((double) d[2], (double) d[3]));
    }
  }

  private static void value(ObjectNode props, String name, String v) {
    props.putObject(name).put("value", v);
  }

  private static void put(TwinStore store, String id, String type, ObjectNode props, ObjectNode geometry) {
    ObjectNode doc = NF.objectNode().put("id", id).put("type", type);
    doc.set("properties", props);
    doc.set("geometry", geometry);
    store.put(store.build(doc, null, null, LingangDataset.SEEDED_AT, "entity"), null);
  }

  private static void relate(TwinStore store, String parent, String child) {
    if (store.get(parent) != null) {
      store.addRel("rel-" + child + "-in", "contains", parent, child, NF.objectNode(), LingangDataset.SEEDED_AT, null);
    }
  }
}
