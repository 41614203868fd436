package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the seeded Lingang dataset (see docs/dataset-lingang.md) into a store: the five new towns with their
 * districts and the programme's first 24 scenes, the eight city-level demonstration zones, and the international
 * innovation synergy zone of the Lingang digital-twin city: about 3.2 km² of blocks and buildings, exactly 881
 * underground structures, 225 km of pipes in six utility networks (sources, feeders with valves, looped mains with a
 * valve in every block edge, service connections to every building), roads, the T1 line and its stations, the
 * planetarium and the factory, and sensors linked to IoT datastream ids. Same seed, same data.
 */
final class LingangDataset {
  /** Timestamp of every seeded version (the programme's launch, 24 August 2022). */
  static final Instant SEEDED_AT = Instant.parse("2022-08-24T02:00:00Z");
  static final int UNDERGROUND_STRUCTURES = 881;
  static final double PIPE_KM = 225.0;

  /** The synergy zone's box: west, south, east, north (about 1.79 km by 1.78 km). */
  static final double LON0 = 121.8950;
  static final double LON1 = 121.9138;
  static final double LAT0 = 30.9150;
  static final double LAT1 = 30.9310;
  private static final int LINES = 8;
  private static final String[] NETWORK_ORDER = {"water", "drainage", "gas", "power", "telecom", "heat"};
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private static final String IFC_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$";

  private final TwinStore store;
  private final Random rnd;
  private final List<TwinStore.Ent> buildings = new ArrayList<>();
  private final Map<String, List<double[]>> tapsByNetwork = new HashMap<>();
  private final Map<String, List<String>> tapIdsByNetwork = new HashMap<>();
  private final List<String[]> valvesForChambers = new ArrayList<>();
  private int relCount;

  private LingangDataset(TwinStore store, long seed) {
    this.store = store;
    this.rnd = new Random(seed);
  }

  /** Fills an empty store. Call under the store's write lock. */
  static void generate(TwinStore store, long seed) {
    store.stampFrom(SEEDED_AT);
    new LingangDataset(store, seed).run();
  }

  private void run() {
    programme();
    zone();
    roads();
    blocksAndBuildings();
    for (String net : NETWORK_ORDER) {
      tapsByNetwork.put(net, new ArrayList<>());
      tapIdsByNetwork.put(net, new ArrayList<>());
    }
    double inZone = 0;
    List<Network> nets = new ArrayList<>();
    for (int k = 0; k < NETWORK_ORDER.length; k++) {
      Network n = new Network(NETWORK_ORDER[k], k);
      n.buildMains();
      inZone += n.length;
      nets.add(n);
    }
    int feeders = nets.stream().mapToInt(n -> n.entries.length).sum();
    double perFeeder = (PIPE_KM * 1000 - inZone) / feeders;
    if (perFeeder < 300) {
      throw new IllegalStateException("dataset layout too long: " + inZone + " m in the zone");
    }
    for (Network n : nets) {
      n.buildFeeders(perFeeder);
      n.emit();
    }
    structures();
    transit();
    facilities();
    sensors();
    JiadingDataset.generate(store);
  }

  // ------------------------------------------------------------------ helpers

  private static double mLon(double lat) {
    return 1.0 / (111_320.0 * Math.cos(Math.toRadians(lat)));
  }

  private static final double M_LAT = 1.0 / 110_574.0;

  private static ObjectNode prop(ObjectNode props, String name, Object value, String unit) {
    ObjectNode p = props.putObject(name);
    if (value instanceof Double d) {
      p.put("value", Math.round(d * 100) / 100.0);
    } else if (value instanceof Integer i) {
      p.put("value", i);
    } else if (value instanceof Boolean b) {
      p.put("value", b);
    } else if (value instanceof List<?> l) {
      ArrayNode a = p.putArray("value");
      l.forEach(x -> a.add(x.toString()));
    } else {
      p.put("value", String.valueOf(value));
    }
    if (unit != null) {
      p.put("unit", unit);
    }
    return props;
  }

  private TwinStore.Ent entity(String id, String type, ObjectNode props, JsonNode geometry, ObjectNode refs) {
    ObjectNode doc = NF.objectNode().put("id", id).put("type", type);
    doc.set("properties", props);
    if (geometry != null) {
      doc.set("geometry", geometry);
    }
    if (refs != null) {
      doc.set("externalRefs", refs);
    }
    return store.put(store.build(doc, null, null, SEEDED_AT, "entity"), null);
  }

  private void rel(String type, String source, String target) {
    store.addRel("rel-" + (++relCount), type, source, target, NF.objectNode(), SEEDED_AT, null);
  }

  private String ifcGuid() {
    StringBuilder sb = new StringBuilder();
    sb.append(IFC_ALPHABET.charAt(rnd.nextInt(4)));
    for (int i = 1; i < 22; i++) {
      sb.append(IFC_ALPHABET.charAt(rnd.nextInt(64)));
    }
    return sb.toString();
  }

  private static ObjectNode props() {
    return NF.objectNode();
  }

  // ------------------------------------------------------------------ programme: towns, districts, zones, scenes

  private record Town(String id, String nameZh, String nameEn, String district, String districtZh, double lon,
      double lat, double areaKm2, String positioning, int scenes) {}

  static final String[][] SCENES = {
      // town, category, name (zh), name (en); the article names 11 scenes, the others are numbered placeholders
      {"jiading", "数字设施", "智慧交通综合管理平台", "Smart traffic integrated management platform"},
      {"jiading", "数字设施", "嘉宝智慧湾未来城物联感知平台", "Jiabao Smart Bay future-city IoT sensing platform"},
      {"qingpu", "数字家园", "青浦数字健康城区互联中心", "Qingpu digital-health district interconnection centre"},
      {"qingpu", "公共空间", "青吴嘉河湖长制共建云平台", "Qingpu-Wujiang-Jiashan river chief co-governance cloud"},
      {"songjiang", "数字家园", "松江新城5G智慧急救平台", "Songjiang new town 5G smart emergency-care platform"},
      {"songjiang", "公共空间", "数字云间书院", "Digital cloud academy"},
      {"fengxian", "数字设施", "数字江海透明城市分布式治理平台", "Digital Jianghai transparent-city governance platform"},
      {"fengxian", "未来产业", "数字江海-上海国资数字化创新基地", "Digital Jianghai state-assets digital innovation base"},
      {"nanhui", "数字设施", "数字孪生中运量T1示范线", "Digital-twin T1 medium-capacity demonstration line"},
      {"nanhui", "公共空间", "数字孪生天文馆", "Digital-twin planetarium"},
      {"nanhui", "未来产业", "数字孪生昌强工厂", "Digital-twin Changqiang factory"},
  };

  private void programme() {
    List<Town> towns = List.of(
        new Town("newtown-jiading", "嘉定新城", "Jiading new town", "district-jiading", "嘉定区", 121.245, 31.375, 159,
            "未来出行城市", 7),
        new Town("newtown-qingpu", "青浦新城", "Qingpu new town", "district-qingpu", "青浦区", 121.100, 31.150, 91,
            "长三角数字新干线", 4),
        new Town("newtown-songjiang", "松江新城", "Songjiang new town", "district-songjiang", "松江区", 121.215, 31.030,
            158, "数智G60", 4),
        new Town("newtown-fengxian", "奉贤新城", "Fengxian new town", "district-fengxian", "奉贤区", 121.470, 30.920, 68,
            "数字江海", 4),
        new Town("newtown-nanhui", "南汇新城", "Nanhui new town", "district-pudong", "浦东新区", 121.900, 30.915, 343,
            "数字孪生城", 5));
    for (Town t : towns) {
      entity(t.district(), "district", prop(prop(props(), "name", t.districtZh(), null), "kind", "administrative", null),
          Geo.point(t.lon() + 0.03, t.lat() + 0.03), null);
      double half = Math.sqrt(t.areaKm2()) * 500;
      ObjectNode p = props();
      prop(p, "name", t.nameZh(), null);
      prop(p, "nameEn", t.nameEn(), null);
      prop(p, "positioning", t.positioning(), null);
      prop(p, "plannedArea", t.areaKm2(), "km2");
      entity(t.id(), "newTown", p, Geo.rectangle(t.lon(), t.lat(), half, half), null);
      rel("locatedIn", t.id(), t.district());
      rel("contains", t.district(), t.id());
    }
    int[] perTown = new int[towns.size()];
    int sceneNo = 0;
    for (int ti = 0; ti < towns.size(); ti++) {
      Town t = towns.get(ti);
      String key = t.id().substring("newtown-".length());
      List<String[]> named = new ArrayList<>();
      for (String[] s : SCENES) {
        if (s[0].equals(key)) {
          named.add(s);
        }
      }
      for (int i = 0; i < t.scenes(); i++) {
        sceneNo++;
        perTown[ti]++;
        String[] s = i < named.size() ? named.get(i) : null;
        ObjectNode p = props();
        prop(p, "name", s != null ? s[2] : t.nameZh() + "场景" + (i + 1) + "（名称未在发布稿中列出）", null);
        prop(p, "nameEn", s != null ? s[3] : t.nameEn() + " scene " + (i + 1) + " (not named in the announcement)", null);
        prop(p, "category", s != null ? s[1] : new String[] {"数字设施", "公共空间", "数字家园", "未来产业"}[i % 4], null);
        prop(p, "namedInAnnouncement", s != null, null);
        prop(p, "batch", 1, null);
        String id = String.format("scene-%02d", sceneNo);
        double ang = i * 2 * Math.PI / t.scenes();
        entity(id, "scene", p, Geo.point(Geo.round(t.lon() + 0.02 * Math.cos(ang)), Geo.round(t.lat()
            + 0.015 * Math.sin(ang))), null);
        rel("contains", t.id(), id);
      }
    }
    String[][] zones = {
        {"demo-yangpu-dachuangzhi", "杨浦大创智数字创新实践区", "121.503", "31.303"},
        {"demo-lingang-digital-twin-city", "临港数字孪生城", "121.920", "30.912"},
        {"demo-putuo-haina", "普陀海纳小镇", "121.370", "31.266"},
        {"demo-songjiang-g60", "松江新城G60数字经济创新产业示范区", "121.231", "31.050"},
        {"demo-xuhui-binjiang", "徐汇滨江数字化转型示范带", "121.457", "31.180"},
        {"demo-jiading-mobility", "嘉定未来·智慧出行示范区", "121.180", "31.290"},
        {"demo-shibei", "市北数智生态园", "121.456", "31.285"},
        {"demo-zhangjiang", "张江数字生态园", "121.590", "31.203"}};
    for (String[] z : zones) {
      entity(z[0], "demonstrationZone", prop(prop(props(), "name", z[1], null), "level", "city", null),
          Geo.point(Double.parseDouble(z[2]), Double.parseDouble(z[3])), null);
    }
    rel("contains", "newtown-nanhui", "demo-lingang-digital-twin-city");
    rel("locatedIn", "demo-songjiang-g60", "newtown-songjiang");
  }

  private void zone() {
    ObjectNode p = props();
    prop(p, "name", "临港国际创新协同区", null);
    prop(p, "nameEn", "Lingang international innovation synergy zone", null);
    prop(p, "kind", "functionalArea", null);
    prop(p, "area", Math.round(area() / 1e4) / 100.0, "km2");
    double[][] ring = {{LON0, LAT0}, {LON1, LAT0}, {LON1, LAT1}, {LON0, LAT1}, {LON0, LAT0}};
    entity("lingang-synergy-zone", "district", p, Geo.polygon(ring), null);
    rel("contains", "demo-lingang-digital-twin-city", "lingang-synergy-zone");
  }

  static double area() {
    double w = Geo.geodesic(LON0, (LAT0 + LAT1) / 2, LON1, (LAT0 + LAT1) / 2);
    double h = Geo.geodesic(LON0, LAT0, LON0, LAT1);
    return w * h;
  }

  private static double lineLon(int i) {
    return LON0 + (LON1 - LON0) * i / (LINES - 1);
  }

  private static double lineLat(int j) {
    return LAT0 + (LAT1 - LAT0) * j / (LINES - 1);
  }

  private static final String[] NS_ROADS = {"水芸路", "云鹃路", "海洋一路", "环湖西一路", "古棕路", "方竹路", "银飞路", "紫杉路"};
  private static final String[] EW_ROADS = {"申港大道", "海港大道", "橄榄路", "茉莉路", "临港大道", "芦茂路", "新元南路", "正茂路"};

  private void roads() {
    for (int i = 0; i < LINES; i++) {
      ObjectNode p = prop(prop(prop(props(), "name", NS_ROADS[i], null), "lanes", i % 3 == 0 ? 6 : 4, null),
          "width", i % 3 == 0 ? 40.0 : 24.0, "m");
      entity(String.format("road-ns-%d", i + 1), "road", p,
          Geo.lineString(new double[][] {{lineLon(i), LAT0 - 0.001}, {lineLon(i), LAT1 + 0.001}}), null);
      rel("contains", "lingang-synergy-zone", String.format("road-ns-%d", i + 1));
      ObjectNode q = prop(prop(prop(props(), "name", EW_ROADS[i], null), "lanes", i % 3 == 0 ? 6 : 4, null),
          "width", i % 3 == 0 ? 40.0 : 24.0, "m");
      entity(String.format("road-ew-%d", i + 1), "road", q,
          Geo.lineString(new double[][] {{LON0 - 0.001, lineLat(i)}, {LON1 + 0.001, lineLat(i)}}), null);
      rel("contains", "lingang-synergy-zone", String.format("road-ew-%d", i + 1));
    }
  }

  // ------------------------------------------------------------------ buildings

  private static final String[] USES = {"office", "research", "office", "residential", "commercial", "education",
      "industrial", "residential", "public"};
  /** Buildings per block, [bi][bj] -> list of {lon, lat, halfW m, halfH m}. */
  private final List<List<List<double[]>>> blockBuildings = new ArrayList<>();
  private final List<String> buildingIds = new ArrayList<>();
  private final List<int[]> buildingBlock = new ArrayList<>();

  private void blocksAndBuildings() {
    int n = 0;
    for (int bi = 0; bi < LINES - 1; bi++) {
      List<List<double[]>> col = new ArrayList<>();
      for (int bj = 0; bj < LINES - 1; bj++) {
        List<double[]> list = new ArrayList<>();
        double w = lineLon(bi) + 30 * mLon(LAT0);
        double e = lineLon(bi + 1) - 30 * mLon(LAT0);
        double s = lineLat(bj) + 30 * M_LAT;
        double nn = lineLat(bj + 1) - 30 * M_LAT;
        for (int sx = 0; sx < 2; sx++) {
          for (int sy = 0; sy < 3; sy++) {
            if (rnd.nextDouble() < 0.18) {
              continue;
            }
            double lon = w + (e - w) * (sx + 0.5) / 2;
            double lat = s + (nn - s) * (sy + 0.5) / 3;
            double hw = 18 + rnd.nextDouble() * 22;
            double hh = 12 + rnd.nextDouble() * 14;
            String use = USES[rnd.nextInt(USES.length)];
            int floors = switch (use) {
              case "office", "research" -> 6 + rnd.nextInt(25);
              case "residential" -> 8 + rnd.nextInt(18);
              case "industrial" -> 1 + rnd.nextInt(4);
              default -> 2 + rnd.nextInt(8);
            };
            double height = floors * (use.equals("industrial") ? 7.5 : 3.9) + rnd.nextDouble() * 4;
            n++;
            String id = String.format("lg-bldg-%04d", n);
            ObjectNode p = props();
            prop(p, "name", "临港协同区" + (bi + 1) + "-" + (bj + 1) + "地块" + (sx * 3 + sy + 1) + "号楼", null);
            prop(p, "use", use, null);
            prop(p, "floors", floors, null);
            prop(p, "height", height, "m");
            prop(p, "grossFloorArea", (double) Math.round(4 * hw * hh * floors), "m2");
            prop(p, "builtYear", 2016 + rnd.nextInt(7), null);
            prop(p, "block", (bi + 1) + "-" + (bj + 1), null);
            ObjectNode refs = NF.objectNode().put("ifcGlobalId", ifcGuid()).put("tilesFeatureId", "lingang-b-" + n);
            TwinStore.Ent b = entity(id, "building", p, Geo.rectangle(lon, lat, hw, hh), refs);
            buildings.add(b);
            buildingIds.add(id);
            buildingBlock.add(new int[] {bi, bj});
            list.add(new double[] {lon, lat, hw, hh});
            rel("contains", "lingang-synergy-zone", id);
          }
        }
        col.add(list);
      }
      blockBuildings.add(col);
    }
  }

  // ------------------------------------------------------------------ networks

  private static final Map<String, String[]> NET_SPEC = new LinkedHashMap<>();

  static {
    // network -> {full grid?, material, mains diameter, service diameter, burial depth, prefix}
    NET_SPEC.put("water", new String[] {"full", "ductile iron", "400", "50", "1.4", "w"});
    NET_SPEC.put("drainage", new String[] {"full", "reinforced concrete", "800", "200", "2.6", "d"});
    NET_SPEC.put("gas", new String[] {"sparse", "PE100", "250", "40", "1.1", "g"});
    NET_SPEC.put("power", new String[] {"full", "XLPE cable in duct bank", "300", "100", "0.9", "p"});
    NET_SPEC.put("telecom", new String[] {"sparse", "fibre in HDPE duct", "110", "50", "0.8", "t"});
    NET_SPEC.put("heat", new String[] {"sparse", "pre-insulated steel", "300", "65", "1.6", "h"});
  }

  private static final Map<String, int[][]> ENTRIES = Map.of(
      "water", new int[][] {{0, 0}, {7, 7}},
      "drainage", new int[][] {{7, 0}},
      "gas", new int[][] {{0, 7}},
      "power", new int[][] {{7, 0}, {0, 7}},
      "telecom", new int[][] {{0, 0}},
      "heat", new int[][] {{4, 7}});

  /** One utility network under construction: nodes, segments, then emitted as entities. */
  private final class Network {
    final String name;
    final int index;
    final boolean full;
    final String material;
    final int mainDia;
    final int serviceDia;
    final double depth;
    final String prefix;
    final int[][] entries;
    final List<Node> nodes = new ArrayList<>();
    final List<Seg> segs = new ArrayList<>();
    final Map<Long, Node> junctions = new HashMap<>();
    double length;
    private int nodeNo;
    private int segNo;

    Network(String name, int index) {
      this.name = name;
      this.index = index;
      String[] s = NET_SPEC.get(name);
      this.full = s[0].equals("full");
      this.material = s[1];
      this.mainDia = Integer.parseInt(s[2]);
      this.serviceDia = Integer.parseInt(s[3]);
      this.depth = Double.parseDouble(s[4]);
      this.prefix = s[5];
      this.entries = ENTRIES.get(name);
    }

    boolean drainage() {
      return name.equals("drainage");
    }

    final class Node {
      final String id;
      final String kind;
      final double lon;
      final double lat;
      final String level;
      int bfs = Integer.MAX_VALUE;

      Node(String kind, double lon, double lat, String level) {
        this.id = String.format("%s-node-%05d", prefix, ++nodeNo);
        this.kind = kind;
        this.lon = Geo.round(lon);
        this.lat = Geo.round(lat);
        this.level = level;
        nodes.add(this);
      }
    }

    final class Seg {
      final String id;
      final Node from;
      final Node to;
      final String level;
      final int dia;
      final double len;

      /** A segment in flow direction a -> b (reversed for drainage). */
      Seg(Node a, Node b, String level, int dia) {
        this.id = String.format("%s-seg-%05d", prefix, ++segNo);
        this.from = drainage() ? b : a;
        this.to = drainage() ? a : b;
        this.level = level;
        this.dia = dia;
        this.len = Geo.geodesic(a.lon, a.lat, b.lon, b.lat);
        length += len;
        segs.add(this);
      }
    }

    boolean vMain(int i) {
      return full || i % 2 == 0 || i == LINES - 1;
    }

    double offLon() {
      return (index * 2.5 - 6) * mLon(LAT0);
    }

    double offLat() {
      return (index * 2.5 - 6) * M_LAT;
    }

    Node junction(int i, int j) {
      long k = i * 100L + j;
      Node n = junctions.get(k);
      if (n == null) {
        n = new Node(drainage() ? "manhole" : "junction", lineLon(i) + offLon(), lineLat(j) + offLat(), "main");
        junctions.put(k, n);
      }
      return n;
    }

    /** Mains along the road grid, one valve in the middle of every block edge, taps for building services. */
    void buildMains() {
      // edges: {i1, j1, i2, j2}
      List<int[]> edges = new ArrayList<>();
      for (int i = 0; i < LINES; i++) {
        for (int j = 0; j < LINES; j++) {
          if (vMain(i) && j + 1 < LINES) {
            edges.add(new int[] {i, j, i, j + 1});
          }
          if (vMain(j) && i + 1 < LINES) {
            edges.add(new int[] {i, j, i + 1, j});
          }
        }
      }
      // breadth-first distances from the entries orient the flow on every edge
      Map<Long, Integer> dist = new HashMap<>();
      java.util.ArrayDeque<int[]> queue = new java.util.ArrayDeque<>();
      for (int[] e : entries) {
        dist.put(e[0] * 100L + e[1], 0);
        queue.add(e);
      }
      while (!queue.isEmpty()) {
        int[] c = queue.poll();
        int d = dist.get(c[0] * 100L + c[1]);
        for (int[] e : edges) {
          int[] other = null;
          if (e[0] == c[0] && e[1] == c[1]) {
            other = new int[] {e[2], e[3]};
          } else if (e[2] == c[0] && e[3] == c[1]) {
            other = new int[] {e[0], e[1]};
          }
          if (other != null && !dist.containsKey(other[0] * 100L + other[1])) {
            dist.put(other[0] * 100L + other[1], d + 1);
            queue.add(other);
          }
        }
      }
      // taps: for each building, the nearest point on a main side of its block
      Map<Integer, List<double[]>> tapsOnEdge = new HashMap<>();
      Map<Integer, List<Integer>> tapBuildings = new HashMap<>();
      for (int b = 0; b < buildings.size(); b++) {
        if (!served(b)) {
          continue;
        }
        int bi = buildingBlock.get(b)[0];
        int bj = buildingBlock.get(b)[1];
        double[] c = centre(b);
        int best = -1;
        double bestD = Double.MAX_VALUE;
        double bestT = 0;
        for (int ei = 0; ei < edges.size(); ei++) {
          int[] e = edges.get(ei);
          boolean side = (e[0] == e[2] && (e[0] == bi || e[0] == bi + 1) && Math.min(e[1], e[3]) == bj)
              || (e[1] == e[3] && (e[1] == bj || e[1] == bj + 1) && Math.min(e[0], e[2]) == bi);
          if (!side) {
            continue;
          }
          double ax = lineLon(e[0]);
          double ay = lineLat(e[1]);
          double bx = lineLon(e[2]);
          double by = lineLat(e[3]);
          double t = e[0] == e[2] ? (c[1] - ay) / (by - ay) : (c[0] - ax) / (bx - ax);
          t = Math.max(0.06, Math.min(0.94, t));
          if (Math.abs(t - 0.5) < 0.06) {
            t = t < 0.5 ? 0.44 : 0.56;
          }
          double px = ax + (bx - ax) * t;
          double py = ay + (by - ay) * t;
          double d = Geo.geodesic(px, py, c[0], c[1]);
          if (d < bestD) {
            bestD = d;
            best = ei;
            bestT = t;
          }
        }
        tapsOnEdge.computeIfAbsent(best, k -> new ArrayList<>()).add(new double[] {bestT, b});
        tapBuildings.computeIfAbsent(best, k -> new ArrayList<>()).add(b);
      }
      for (int ei = 0; ei < edges.size(); ei++) {
        int[] e = edges.get(ei);
        int da = dist.getOrDefault(e[0] * 100L + e[1], 99);
        int db = dist.getOrDefault(e[2] * 100L + e[3], 99);
        boolean forward = da < db || (da == db && (e[0] + e[1]) <= (e[2] + e[3]));
        Node a = forward ? junction(e[0], e[1]) : junction(e[2], e[3]);
        Node bN = forward ? junction(e[2], e[3]) : junction(e[0], e[1]);
        List<double[]> taps = new ArrayList<>(tapsOnEdge.getOrDefault(ei, List.of()));
        taps.add(new double[] {0.5, -1});
        for (double[] t : taps) {
          if (!forward) {
            t[0] = 1 - t[0];
          }
        }
        taps.sort((x, y) -> Double.compare(x[0], y[0]));
        Node prev = a;
        for (double[] t : taps) {
          double lon = a.lon + (bN.lon - a.lon) * t[0];
          double lat = a.lat + (bN.lat - a.lat) * t[0];
          Node n;
          if (t[1] < 0) {
            n = new Node("valve", lon, lat, "main");
            if (!drainage() && !name.equals("power") && !name.equals("telecom")) {
              valvesForChambers.add(new String[] {n.id, Double.toString(n.lon), Double.toString(n.lat)});
            }
          } else {
            n = new Node(drainage() ? "manhole" : "junction", lon, lat, "main");
            service(n, (int) t[1]);
          }
          new Seg(prev, n, "main", mainDia);
          prev = n;
        }
        new Seg(prev, bN, "main", mainDia);
      }
    }

    private boolean served(int b) {
      String use = buildings.get(b).text("use");
      return switch (name) {
        case "gas" -> use.equals("residential") || use.equals("commercial") || use.equals("industrial")
            || use.equals("education");
        case "heat" -> use.equals("office") || use.equals("research") || use.equals("public");
        default -> true;
      };
    }

    private double[] centre(int b) {
      Geo.Shape s = buildings.get(b).shape();
      return new double[] {(s.minLon + s.maxLon) / 2, (s.minLat + s.maxLat) / 2};
    }

    /** A service connection from a tap on the main to the building's edge; feeds the building. */
    private void service(Node tap, int b) {
      Geo.Shape s = buildings.get(b).shape();
      double lon = Math.max(s.minLon, Math.min(s.maxLon, tap.lon));
      double lat = Math.max(s.minLat, Math.min(s.maxLat, tap.lat));
      Node svc = new Node("service", lon, lat, "service");
      new Seg(tap, svc, "service", serviceDia);
      pendingFeeds.add(new String[] {svc.id, buildingIds.get(b)});
      tapsByNetwork.get(name).add(new double[] {tap.lon, tap.lat});
      tapIdsByNetwork.get(name).add(tap.id);
    }

    final List<String[]> pendingFeeds = new ArrayList<>();

    /** Feeders from sources outside the zone to the entry junctions, with valves about every kilometre. */
    void buildFeeders(double perFeeder) {
      double cLon = (LON0 + LON1) / 2;
      double cLat = (LAT0 + LAT1) / 2;
      for (int[] entry : entries) {
        Node end = junction(entry[0], entry[1]);
        double dx = (end.lon - cLon) / mLon(cLat);
        double dy = (end.lat - cLat) / M_LAT;
        double norm = Math.hypot(dx, dy);
        double ux = dx / norm;
        double uy = dy / norm;
        int pieces = (int) Math.ceil(perFeeder / 180.0);
        double step = perFeeder / pieces;
        // walk outwards from the entry with a gentle deterministic meander, then emit from the source inwards
        List<double[]> pts = new ArrayList<>();
        double x = end.lon;
        double y = end.lat;
        pts.add(new double[] {x, y});
        for (int i = 0; i < pieces; i++) {
          double wob = Math.sin(i * 0.7 + index) * 0.35;
          double vx = ux * Math.cos(wob) - uy * Math.sin(wob);
          double vy = ux * Math.sin(wob) + uy * Math.cos(wob);
          x += vx * step * mLon(y);
          y += vy * step * M_LAT;
          pts.add(new double[] {x, y});
        }
        java.util.Collections.reverse(pts);
        double[] src = pts.get(0);
        Node prev = new Node("source", src[0], src[1], "feeder");
        for (int i = 1; i < pts.size() - 1; i++) {
          boolean valve = i == 1 || i % 6 == 0;
          Node n = new Node(valve ? "valve" : (drainage() ? "manhole" : "junction"), pts.get(i)[0], pts.get(i)[1],
              "feeder");
          new Seg(prev, n, "feeder", (int) (mainDia * 1.5));
          prev = n;
        }
        new Seg(prev, end, "feeder", (int) (mainDia * 1.5));
      }
    }

    void emit() {
      String sourceName = switch (name) {
        case "water" -> "临港水厂";
        case "drainage" -> "临港污水处理厂/排放口";
        case "gas" -> "临港天然气门站";
        case "power" -> "临港220kV变电站";
        case "telecom" -> "临港通信汇聚机房";
        default -> "临港能源中心";
      };
      for (Node n : nodes) {
        ObjectNode p = props();
        prop(p, "network", name, null);
        prop(p, "kind", n.kind, null);
        prop(p, "level", n.level, null);
        prop(p, "depthTop", depth, "m");
        prop(p, "depthBottom", depth + mainDia / 1000.0, "m");
        if (n.kind.equals("valve")) {
          prop(p, "valveType", name.equals("power") || name.equals("telecom") ? "disconnector"
              : mainDia >= 300 ? "butterfly" : "gate", null);
          prop(p, "normallyOpen", true, null);
        }
        if (n.kind.equals("source")) {
          prop(p, "name", sourceName, null);
        }
        entity(n.id, "pipeNode", p, Geo.point(n.lon, n.lat), null);
      }
      for (Seg s : segs) {
        ObjectNode p = props();
        prop(p, "network", name, null);
        prop(p, "fromNode", s.from.id, null);
        prop(p, "toNode", s.to.id, null);
        prop(p, "level", s.level, null);
        prop(p, "diameter", s.dia, "mm");
        prop(p, "material", material, null);
        prop(p, "length", s.len, "m");
        prop(p, "depthTop", depth, "m");
        prop(p, "depthBottom", depth + s.dia / 1000.0, "m");
        prop(p, "installedYear", 2015 + rnd.nextInt(8), null);
        entity(s.id, "pipeSegment", p, Geo.lineString(new double[][] {{s.from.lon, s.from.lat}, {s.to.lon, s.to.lat}}),
            null);
        rel("connectsTo", s.from.id, s.id);
        rel("connectsTo", s.id, s.to.id);
      }
      for (String[] f : pendingFeeds) {
        rel(drainage() ? "drains" : "feeds", f[0], f[1]);
      }
    }
  }

  // ------------------------------------------------------------------ underground structures

  private static final Object[][] STRUCTURE_KINDS = {
      {"undergroundGarage", 210, 0.0, 4.0, 2.5},
      {"valveChamber", 260, 0.4, 1.2, 1.5},
      {"utilityTunnelSection", 120, 2.5, 3.0, 3.5},
      {"cableTunnelSection", 80, 1.5, 1.0, 2.5},
      {"civilDefenseShelter", 90, 4.0, 2.0, 4.0},
      {"substation", 38, 0.0, 2.0, 6.0},
      {"pumpStation", 24, 2.0, 2.0, 8.0},
      {"undergroundCommercial", 25, 0.0, 1.0, 9.0},
      {"pedestrianPassage", 34, 0.0, 1.0, 5.0}};

  private void structures() {
    int n = 0;
    int chamber = 0;
    for (Object[] k : STRUCTURE_KINDS) {
      String kind = (String) k[0];
      int count = (Integer) k[1];
      for (int i = 0; i < count; i++) {
        double lon;
        double lat;
        double hw;
        double hh;
        if (kind.equals("valveChamber") && chamber < valvesForChambers.size()) {
          String[] v = valvesForChambers.get(chamber++);
          lon = Double.parseDouble(v[1]);
          lat = Double.parseDouble(v[2]);
          hw = 1.5;
          hh = 1.5;
        } else if (kind.equals("undergroundGarage") || kind.equals("civilDefenseShelter")) {
          double[] b = anyBuildingSlot();
          lon = b[0];
          lat = b[1];
          hw = b[2] * (0.6 + rnd.nextDouble() * 0.3);
          hh = b[3] * (0.6 + rnd.nextDouble() * 0.3);
        } else if (kind.endsWith("TunnelSection")) {
          boolean ns = rnd.nextBoolean();
          int line = rnd.nextInt(LINES);
          double t = 0.05 + rnd.nextDouble() * 0.9;
          lon = ns ? lineLon(line) + 6 * mLon(LAT0) : LON0 + (LON1 - LON0) * t;
          lat = ns ? LAT0 + (LAT1 - LAT0) * t : lineLat(line) + 6 * M_LAT;
          double half = 30 + rnd.nextDouble() * 30;
          hw = ns ? 2 : half;
          hh = ns ? half : 2;
        } else {
          lon = LON0 + (LON1 - LON0) * (0.03 + rnd.nextDouble() * 0.94);
          lat = LAT0 + (LAT1 - LAT0) * (0.03 + rnd.nextDouble() * 0.94);
          hw = 8 + rnd.nextDouble() * 20;
          hh = 6 + rnd.nextDouble() * 15;
        }
        double top = (Double) k[2] + rnd.nextDouble() * (Double) k[3];
        double levels = kind.equals("undergroundGarage") ? 1 + rnd.nextInt(3) : 1;
        double bottom = top + (Double) k[4] * levels + rnd.nextDouble();
        n++;
        String id = String.format("lg-ug-%04d", n);
        ObjectNode p = props();
        prop(p, "kind", kind, null);
        prop(p, "depthTop", top, "m");
        prop(p, "depthBottom", bottom, "m");
        if (kind.equals("undergroundGarage")) {
          prop(p, "levels", (int) levels, null);
          prop(p, "parkingSpaces", (int) (hw * hh * 4 * levels / 30), null);
        }
        ObjectNode refs = NF.objectNode().put("ifcGlobalId", ifcGuid()).put("tilesFeatureId", "lingang-ug-" + n);
        entity(id, "undergroundStructure", p, Geo.rectangle(lon, lat, hw, hh), refs);
        rel("contains", "lingang-synergy-zone", id);
        if (kind.equals("undergroundGarage") || kind.equals("substation") || kind.equals("pumpStation")
            || kind.equals("undergroundCommercial") || kind.equals("civilDefenseShelter")) {
          for (String net : List.of("water", "power")) {
            rel("feeds", nearestTap(net, lon, lat), id);
          }
        }
      }
    }
    if (n != UNDERGROUND_STRUCTURES) {
      throw new IllegalStateException("expected 881 structures, generated " + n);
    }
  }

  private double[] anyBuildingSlot() {
    int bi = rnd.nextInt(LINES - 1);
    int bj = rnd.nextInt(LINES - 1);
    List<double[]> l = blockBuildings.get(bi).get(bj);
    if (l.isEmpty()) {
      return new double[] {(lineLon(bi) + lineLon(bi + 1)) / 2, (lineLat(bj) + lineLat(bj + 1)) / 2, 25, 20};
    }
    return l.get(rnd.nextInt(l.size()));
  }

  private String nearestTap(String net, double lon, double lat) {
    List<double[]> taps = tapsByNetwork.get(net);
    int best = 0;
    double bestD = Double.MAX_VALUE;
    double k = Math.cos(Math.toRadians(lat));
    for (int i = 0; i < taps.size(); i++) {
      double dx = (taps.get(i)[0] - lon) * k;
      double dy = taps.get(i)[1] - lat;
      double d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return tapIdsByNetwork.get(net).get(best);
  }

  // ------------------------------------------------------------------ transit, facilities, sensors

  private void transit() {
    double[][] route = {{121.9290, 30.9050}, {121.9185, 30.9105}, {121.9125, 30.9170}, {121.9060, 30.9230},
        {121.8990, 30.9290}, {121.8900, 30.9360}, {121.8790, 30.9420}, {121.8660, 30.9470}};
    ObjectNode p = props();
    prop(p, "name", "临港中运量T1示范线", null);
    prop(p, "nameEn", "Lingang T1 medium-capacity demonstration line", null);
    prop(p, "mode", "medium-capacity transit", null);
    prop(p, "length", Geo.length(route), "m");
    entity("transit-t1", "transitLine", p, Geo.lineString(route), null);
    rel("contains", "newtown-nanhui", "transit-t1");
    String[] names = {"滴水湖站", "环湖西二路站", "海洋一路站", "云鹃路站", "申港大道站", "临港大道站", "新元南路站",
        "芦茂路站"};
    for (int i = 0; i < route.length; i++) {
      String id = String.format("t1-station-%02d", i + 1);
      ObjectNode q = props();
      prop(q, "name", names[i] + "（示意）", null);
      prop(q, "sequence", i + 1, null);
      prop(q, "platforms", 2, null);
      entity(id, "transitStation", q, Geo.point(route[i][0], route[i][1]), null);
      rel("contains", "transit-t1", id);
    }
  }

  private void facilities() {
    ObjectNode p = props();
    prop(p, "name", "上海天文馆", null);
    prop(p, "nameEn", "Shanghai Astronomy Museum (planetarium)", null);
    prop(p, "kind", "planetarium", null);
    prop(p, "grossFloorArea", 38164.0, "m2");
    ObjectNode refs = NF.objectNode().put("ifcGlobalId", ifcGuid()).put("tilesFeatureId", "lingang-planetarium");
    entity("facility-planetarium", "facility", p, Geo.rectangle(121.9075, 30.8990, 110, 90), refs);
    rel("contains", "newtown-nanhui", "facility-planetarium");
    ObjectNode q = props();
    prop(q, "name", "昌强工厂（数字孪生工厂）", null);
    prop(q, "nameEn", "Changqiang digital-twin factory", null);
    prop(q, "kind", "factory", null);
    prop(q, "industry", "intelligent manufacturing", null);
    ObjectNode refs2 = NF.objectNode().put("ifcGlobalId", ifcGuid()).put("tilesFeatureId", "lingang-factory");
    entity("facility-factory-changqiang", "facility", q, Geo.rectangle(121.8610, 30.9380, 150, 80), refs2);
    rel("contains", "newtown-nanhui", "facility-factory-changqiang");
  }

  private void sensors() {
    int n = 0;
    List<String> waterValves = new ArrayList<>();
    for (TwinStore.Ent e : store.ofType("pipeNode")) {
      if ("water".equals(e.text("network")) && "valve".equals(e.text("kind"))) {
        waterValves.add(e.id());
      }
    }
    for (int i = 0; i < 40 && i < waterValves.size(); i++) {
      n = sensor(n, waterValves.get(i * waterValves.size() / 40), "pressure", "kPa");
    }
    for (int i = 0; i < 12; i++) {
      n = sensor(n, buildingIds.get(i * buildingIds.size() / 12), "energy", "kWh");
    }
    for (int i = 1; i <= 8; i++) {
      n = sensor(n, String.format("t1-station-%02d", i), "passengers", "1/h");
    }
    n = sensor(n, "facility-planetarium", "temperature", "Cel");
    sensor(n, "facility-factory-changqiang", "power", "kW");
  }

  private int sensor(int n, String target, String phenomenon, String unit) {
    String id = String.format("sensor-%03d", n + 1);
    TwinStore.Ent t = store.get(target);
    Geo.Shape s = t.shape();
    ObjectNode p = props();
    prop(p, "phenomenon", phenomenon, null);
    prop(p, "unit", unit, null);
    prop(p, "datastreamIds", List.of("ds-" + id + "-" + phenomenon), null);
    entity(id, "sensor", p, Geo.point(Geo.round((s.minLon + s.maxLon) / 2), Geo.round((s.minLat + s.maxLat) / 2)),
        null);
    rel("observes", id, target);
    return n + 1;
  }
}
