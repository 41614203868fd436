package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The twin's Jiading slice, which joins the twin to the IoT feeds: the road network of Jiading new town (the smart
 * traffic demonstration area, with the road segments whose closures the traffic feed announces, linked by
 * {@code iotThingId}) and the ambulance stations of the 5G emergency-dispatch platform. Deterministic.
 */
final class JiadingDataset {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

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
