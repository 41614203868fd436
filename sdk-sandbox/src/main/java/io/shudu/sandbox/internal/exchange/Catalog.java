package io.shudu.sandbox.internal.exchange;

import io.shudu.sandbox.internal.http.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The seeded demo catalog (merchants, products, offers) and its full-text index with Chinese bigrams. */
final class Catalog {
  record Text(String zh, String en) {}

  record Qualification(String name, String issuer, String number, String validUntil) {}

  record Merchant(String id, Text name, String type, Text typeLabel, String region, List<Qualification> qualifications) {}

  record Version(String version, String releasedAt, long sizeBytes, String format, String notes) {}

  record Field(String name, String type, String description) {}

  record Sample(List<String> columns, List<List<String>> rows) {}

  record PriceTerms(String model, String amount, String currency, String unit) {}

  record Certificate(String type, String issuer, String number, String validUntil) {}

  record Product(String id, Text title, Text description, String category, List<String> tags, String merchantId,
      String merchantName, String merchantType, String latestVersion, List<Version> versions, List<Field> schema,
      Sample sample, PriceTerms priceTerms, List<Certificate> certificates, String personalInformation,
      List<String> offerIds) {
    Version version(String v) {
      for (Version x : versions) {
        if (x.version().equals(v)) {
          return x;
        }
      }
      return null;
    }
  }

  record UsagePolicy(List<String> purposes, int maxDurationDays, List<String> territories, boolean crossBorder,
      String redistribution, String personalInformation) {}

  record Offer(String id, String productId, String merchantId, Text title, PriceTerms priceTerms, UsagePolicy policy) {}

  static final List<String> MERCHANT_TYPES = List.of("DATA_SUPPLIER_BUYER", "DELIVERY", "EVALUATION",
      "INTERMEDIARY", "CONSULTING", "OTHER_SERVICES");
  static final List<String> CATEGORIES = List.of("transport", "finance", "health", "environment", "governance",
      "energy", "geospatial", "commerce");
  static final List<String> REDISTRIBUTION = List.of("NONE", "INTERNAL", "AGGREGATED_ONLY", "ALLOWED");
  static final List<String> PI = List.of("NONE", "DEIDENTIFIED", "PERSONAL", "SENSITIVE");
  static final long MIB = 1024L * 1024L;

  final Map<String, Merchant> merchants = new LinkedHashMap<>();
  final Map<String, Product> products = new LinkedHashMap<>();
  final Map<String, Offer> offers = new LinkedHashMap<>();
  private final Map<String, Map<String, Integer>> index = new HashMap<>();

  Catalog() {
    merchant("m-datagrand", "上海数据集团", "Shanghai Data Group", "DATA_SUPPLIER_BUYER", "数据产品供应商", "data supplier");
    merchant("m-shukai", "数凯交付科技", "Shukai Delivery Tech", "DELIVERY", "数据交付服务商", "data delivery");
    merchant("m-pingce", "评测数据质量评估中心", "Pingce Data Quality Evaluation", "EVALUATION", "数据质量评估商",
        "data evaluation");
    merchant("m-huitong", "汇通数据经纪", "Huitong Data Brokerage", "INTERMEDIARY", "数据经纪商", "data intermediary");
    merchant("m-zhiyuan", "智远数据合规咨询", "Zhiyuan Compliance Consulting", "CONSULTING", "数据合规咨询商",
        "data consulting");
    merchant("m-anxin", "安信数据安全服务", "Anxin Data Security Services", "OTHER_SERVICES", "数据安全服务商",
        "other data services");
    merchant("m-shentong", "申通交通数据", "Shentong Transport Data", "DATA_SUPPLIER_BUYER", "数据产品供应商",
        "data supplier");
    merchant("m-jinrong", "浦江金融数据", "Pujiang Financial Data", "DATA_SUPPLIER_BUYER", "数据产品供应商",
        "data supplier");

    product("dp-metro-flow", "地铁客流时空分布数据", "Metro passenger flow by station and hour",
        "全市地铁站点分时进出站客流，按站点与小时汇总，支持通勤分析与线网规划。",
        "Hourly entries and exits at every metro station, for commuting analysis and network planning.",
        "transport", List.of("地铁", "客流", "metro", "mobility"), "m-shentong", "DEIDENTIFIED", 8,
        List.of("research", "urban-planning", "transport-operations"), 365, false, "AGGREGATED_ONLY", "subscription",
        "12000.00", "year");
    product("dp-bus-gps", "公交车辆实时定位数据", "Real-time bus positions",
        "公交车辆GPS定位流，每十秒一条，含线路、方向与速度。", "Bus GPS positions every ten seconds with route, direction and speed.",
        "transport", List.of("公交", "实时", "bus", "realtime"), "m-shentong", "NONE", 16,
        List.of("research", "transport-operations", "navigation"), 180, false, "INTERNAL", "per-call", "0.02", "call");
    product("dp-taxi-od", "出租车起讫点数据", "Taxi origin-destination matrix",
        "出租车行程起讫点矩阵，按街道和半小时聚合，已去标识化。",
        "Taxi trips aggregated to street-level origin-destination pairs per half hour, de-identified.",
        "transport", List.of("出租车", "出行", "taxi", "mobility"), "m-datagrand", "DEIDENTIFIED", 12,
        List.of("research", "urban-planning"), 365, true, "AGGREGATED_ONLY", "one-off", "30000.00", "dataset");
    product("dp-sme-credit", "中小企业信用评价数据", "SME credit evaluation data",
        "融合税务、社保与水电数据的中小企业信用评分，用于普惠金融授信。",
        "Credit scores for small and medium enterprises from tax, social insurance and utility data, for inclusive lending.",
        "finance", List.of("信用", "普惠金融", "credit", "sme"), "m-jinrong", "PERSONAL", 4,
        List.of("credit-assessment", "risk-control"), 365, false, "NONE", "per-call", "1.50", "call");
    product("dp-supply-chain", "供应链金融交易数据", "Supply chain finance transactions",
        "核心企业上下游应收账款与订单流转数据，支持供应链金融风控。",
        "Receivables and order flows between core enterprises and suppliers, for supply chain finance risk control.",
        "finance", List.of("供应链", "风控", "supply-chain", "risk"), "m-huitong", "NONE", 6,
        List.of("risk-control", "credit-assessment", "research"), 730, true, "INTERNAL", "subscription", "80000.00",
        "year");
    product("dp-clinic-visits", "社区医院门诊统计数据", "Community clinic visit statistics",
        "社区卫生服务中心门诊量与病种分布统计，已按街道聚合。",
        "Outpatient volumes and diagnosis groups at community health centres, aggregated by street.",
        "health", List.of("医疗", "门诊", "health", "clinic"), "m-datagrand", "SENSITIVE", 4,
        List.of("public-health", "medical-research"), 365, false, "NONE", "one-off", "50000.00", "dataset");
    product("dp-air-quality", "空气质量监测数据", "Air quality monitoring",
        "全市国控与市控站点逐小时空气质量，含PM2.5、PM10、臭氧与二氧化氮。",
        "Hourly air quality at national and municipal stations: PM2.5, PM10, ozone and NO2.",
        "environment", List.of("空气质量", "环境", "air", "pm25"), "m-datagrand", "NONE", 8,
        List.of("research", "public-health", "urban-planning", "commercial"), 3650, true, "ALLOWED", "free", "0.00",
        "dataset");
    product("dp-weather-grid", "精细化气象格点预报", "Fine-grained weather grid forecast",
        "一公里格点逐小时温度、降水与风速预报，覆盖上海全域。",
        "One-kilometre hourly grid forecasts of temperature, precipitation and wind over Shanghai.",
        "environment", List.of("气象", "预报", "weather", "forecast"), "m-shukai", "NONE", 24,
        List.of("research", "commercial", "transport-operations", "navigation"), 365, true, "AGGREGATED_ONLY",
        "subscription", "20000.00", "year");
    product("dp-12345-hotline", "12345市民热线工单数据", "12345 citizen hotline tickets",
        "市民热线工单的诉求类别、处置部门与办结时长，已去除个人信息。",
        "Citizen hotline tickets with category, handling department and resolution time, personal data removed.",
        "governance", List.of("城市治理", "热线", "governance", "hotline"), "m-datagrand", "DEIDENTIFIED", 6,
        List.of("research", "public-administration"), 365, false, "NONE", "free", "0.00", "dataset");
    product("dp-building-energy", "公共建筑能耗数据", "Public building energy use",
        "大型公共建筑分项能耗逐日数据，用于节能诊断与双碳评估。",
        "Daily sub-metered energy use of large public buildings, for efficiency audits and carbon assessment.",
        "energy", List.of("能耗", "双碳", "energy", "carbon"), "m-anxin", "NONE", 10,
        List.of("research", "energy-management", "commercial"), 730, false, "INTERNAL", "subscription", "15000.00",
        "year");
    product("dp-ev-charging", "新能源汽车充电桩数据", "EV charging station usage",
        "充电桩位置、功率与逐小时利用率。", "Charging station locations, power and hourly utilisation.",
        "energy", List.of("充电桩", "新能源", "ev", "charging"), "m-shukai", "NONE", 6,
        List.of("research", "commercial", "navigation", "energy-management"), 365, true, "ALLOWED", "per-call",
        "0.05", "call");
    product("dp-3d-buildings", "城市三维建筑白模数据", "3D building footprints",
        "全市建筑轮廓、层数与高度，GeoJSON格式。", "Building footprints with floors and height for the whole city, as GeoJSON.",
        "geospatial", List.of("三维", "建筑", "gis", "geojson"), "m-datagrand", "NONE", 32,
        List.of("research", "urban-planning", "commercial", "navigation"), 1095, true, "AGGREGATED_ONLY", "one-off",
        "60000.00", "dataset");
    product("dp-poi", "城市兴趣点数据", "Points of interest",
        "餐饮、商超、医疗等兴趣点名称、类别与坐标。", "Names, categories and coordinates of restaurants, shops, clinics and more.",
        "geospatial", List.of("兴趣点", "地图", "poi", "map"), "m-huitong", "NONE", 8,
        List.of("commercial", "navigation", "research"), 365, true, "INTERNAL", "subscription", "9000.00", "year");
    product("dp-retail-index", "商圈消费活力指数", "Retail district vitality index",
        "重点商圈客流、消费额与业态结构的活力指数，按周发布。",
        "Weekly vitality index of major shopping districts from footfall, spending and store mix.",
        "commerce", List.of("消费", "商圈", "retail", "index"), "m-jinrong", "DEIDENTIFIED", 2,
        List.of("commercial", "research", "urban-planning"), 365, false, "AGGREGATED_ONLY", "subscription",
        "6000.00", "year");
    product("dp-quality-report", "数据产品质量评估报告", "Data product quality evaluation report",
        "按国家标准对数据产品的完整性、准确性与时效性进行评估的报告。",
        "Evaluation of a data product's completeness, accuracy and timeliness against national standards.",
        "governance", List.of("质量评估", "合规", "evaluation", "quality"), "m-pingce", "NONE", 1,
        List.of("compliance", "research", "commercial"), 365, false, "NONE", "one-off", "5000.00", "report");
    product("dp-compliance-kit", "数据出境合规评估工具包", "Cross-border data compliance kit",
        "数据出境安全评估与标准合同备案的清单与模板。",
        "Checklists and templates for the cross-border data security assessment and standard contract filing.",
        "governance", List.of("出境", "合规", "cross-border", "compliance"), "m-zhiyuan", "NONE", 1,
        List.of("compliance"), 365, true, "INTERNAL", "one-off", "3000.00", "kit");
    product("dp-city-sensing-1g", "城市感知原始数据全集（基准）", "City sensing raw archive (benchmark, 1 GiB)",
        "城市感知设备原始采样数据归档，体量1 GiB，用于交付性能基准测试。",
        "Raw samples from city sensing devices, 1 GiB, used for delivery benchmarks.",
        "environment", List.of("感知", "原始数据", "sensing", "benchmark"), "m-shukai", "NONE", 1024,
        List.of("research", "commercial"), 365, false, "INTERNAL", "free", "0.00", "dataset");
    for (Product p : products.values()) {
      indexProduct(p);
    }
  }

  private void merchant(String id, String zh, String en, String type, String labelZh, String labelEn) {
    List<Qualification> q = new ArrayList<>();
    q.add(new Qualification("上海数据交易所数商登记证书 / SDE data merchant registration", "上海数据交易所",
        "SDE-DM-" + Math.abs(id.hashCode() % 100000), "2027-12-31"));
    if (type.equals("EVALUATION") || type.equals("OTHER_SERVICES")) {
      q.add(new Qualification("信息安全管理体系认证 ISO/IEC 27001", "CNAS", "ISMS-" + Math.abs(id.hashCode() % 9999),
          "2026-12-31"));
    }
    merchants.put(id, new Merchant(id, new Text(zh, en), type, new Text(labelZh, labelEn), "上海 Shanghai",
        List.copyOf(q)));
  }

  private void product(String id, String zh, String en, String dzh, String den, String category, List<String> tags,
      String merchantId, String pi, long sizeMib, List<String> purposes, int maxDays, boolean crossBorder,
      String redistribution, String priceModel, String amount, String unit) {
    Merchant m = merchants.get(merchantId);
    long latestSize = sizeMib * MIB;
    List<Version> versions = List.of(
        new Version("1.0.0", "2022-08-24", Math.max(MIB, latestSize / 2 + 12345), "application/x-ndjson",
            "首次发布 first release"),
        new Version("1.1.0", "2023-03-01", latestSize, "application/x-ndjson",
            "新增字段与数据修订 added fields and revisions"));
    List<Field> schema = List.of(new Field("record_id", "string", "记录编号 record id"),
        new Field("district", "string", "行政区 district"), new Field("observed_at", "datetime", "观测时间 observed at"),
        new Field("value", "decimal", "指标值 measured value"));
    Sample sample = new Sample(List.of("record_id", "district", "observed_at", "value"), List.of(
        List.of(id + "-000001", "浦东新区", "2023-03-01T08:00:00+08:00", "412.5"),
        List.of(id + "-000002", "黄浦区", "2023-03-01T08:00:00+08:00", "389.0"),
        List.of(id + "-000003", "徐汇区", "2023-03-01T09:00:00+08:00", "401.2")));
    PriceTerms price = new PriceTerms(priceModel, amount, "CNY", unit);
    List<Certificate> certs = new ArrayList<>();
    certs.add(new Certificate("DATA_PRODUCT_REGISTRATION", "上海数据交易所", "SDE-DP-" + id.substring(3).toUpperCase(Locale.ROOT),
        "2027-12-31"));
    certs.add(new Certificate("COMPLIANCE_ASSESSMENT", "智远数据合规咨询", "CA-" + Math.abs(id.hashCode() % 100000),
        "2026-12-31"));
    if (!pi.equals("NONE")) {
      certs.add(new Certificate("PERSONAL_INFORMATION_IMPACT_ASSESSMENT", "安信数据安全服务",
          "PIIA-" + Math.abs(id.hashCode() % 100000), "2026-06-30"));
    }
    String offerId = "of-" + id.substring(3);
    UsagePolicy policy = new UsagePolicy(purposes, maxDays, crossBorder ? List.of("CN", "HK", "SG", "EU") : List.of("CN"),
        crossBorder, redistribution, pi);
    offers.put(offerId, new Offer(offerId, id, merchantId, new Text(zh + " · 标准许可", en + " · standard licence"),
        price, policy));
    List<String> offerIds = new ArrayList<>(List.of(offerId));
    if (!purposes.contains("research")) {
      // nothing more
    } else {
      String ro = offerId + "-research";
      offers.put(ro, new Offer(ro, id, merchantId, new Text(zh + " · 科研许可", en + " · research licence"),
          new PriceTerms("free", "0.00", "CNY", unit), new UsagePolicy(List.of("research"), 90, List.of("CN"), false,
              "NONE", pi)));
      offerIds.add(ro);
    }
    products.put(id, new Product(id, new Text(zh, en), new Text(dzh, den), category, tags, merchantId,
        m.name().zh(), m.type(), "1.1.0", versions, schema, sample, price, List.copyOf(certs), pi,
        List.copyOf(offerIds)));
  }

  // ---- full-text search ----

  /** Tokens: lower-case latin/digit words; Chinese runs as character bigrams (a single character as itself). */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String s = text.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (isCjk(cp)) {
        int start = i;
        List<Integer> run = new ArrayList<>();
        while (i < s.length() && isCjk(s.codePointAt(i))) {
          run.add(s.codePointAt(i));
          i += Character.charCount(s.codePointAt(i));
        }
        if (run.size() == 1) {
          out.add(s.substring(start, i));
        }
        for (int k = 0; k + 1 < run.size(); k++) {
          out.add(new String(Character.toChars(run.get(k))) + new String(Character.toChars(run.get(k + 1))));
        }
      } else if (Character.isLetterOrDigit(cp)) {
        int start = i;
        while (i < s.length() && Character.isLetterOrDigit(s.codePointAt(i)) && !isCjk(s.codePointAt(i))) {
          i += Character.charCount(s.codePointAt(i));
        }
        out.add(s.substring(start, i));
      } else {
        i += Character.charCount(cp);
      }
    }
    return out;
  }

  private static boolean isCjk(int cp) {
    Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
    return sc == Character.UnicodeScript.HAN;
  }

  private void indexProduct(Product p) {
    Map<String, Integer> weights = new HashMap<>();
    add(weights, p.title().zh() + " " + p.title().en(), 3);
    add(weights, String.join(" ", p.tags()) + " " + p.category(), 2);
    add(weights, p.description().zh() + " " + p.description().en() + " " + p.merchantName(), 1);
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      index.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(p.id(), e.getValue());
    }
  }

  private static void add(Map<String, Integer> weights, String text, int w) {
    for (String t : tokens(text)) {
      weights.merge(t, w, Integer::sum);
    }
  }

  record SearchResult(List<Product> items, int total, String nextCursor, Map<String, Map<String, Integer>> facets) {}

  /** Runs a search: every query token must match; filters; facets over the whole filtered result. */
  SearchResult search(String q, String category, String tag, String merchantType, String merchantId, String pi,
      Boolean crossBorder, String cursor, int limit) {
    if (category != null && !CATEGORIES.contains(category)) {
      throw Problem.validation("category", "Unknown category '" + category + "'; use one of " + CATEGORIES + ".");
    }
    if (merchantType != null && !MERCHANT_TYPES.contains(merchantType)) {
      throw Problem.validation("merchantType", "Unknown merchantType '" + merchantType + "'; use one of "
          + MERCHANT_TYPES + ".");
    }
    if (pi != null && !PI.contains(pi)) {
      throw Problem.validation("personalInformation", "Unknown personalInformation '" + pi + "'; use one of " + PI
          + ".");
    }
    Map<String, Integer> scores = new LinkedHashMap<>();
    List<String> qt = tokens(q);
    if (q != null && !q.isBlank() && qt.isEmpty()) {
      throw Problem.validation("q", "The query '" + q + "' has no searchable words; use letters, digits or Chinese "
          + "characters.");
    }
    if (qt.isEmpty()) {
      products.keySet().forEach(id -> scores.put(id, 0));
    } else {
      Set<String> candidates = null;
      for (String t : new LinkedHashSet<>(qt)) {
        Map<String, Integer> postings = index.getOrDefault(t, Map.of());
        if (candidates == null) {
          candidates = new HashSet<>(postings.keySet());
        } else {
          candidates.retainAll(postings.keySet());
        }
      }
      for (String id : products.keySet()) {
        if (candidates.contains(id)) {
          int s = 0;
          for (String t : qt) {
            s += index.get(t).getOrDefault(id, 0);
          }
          scores.put(id, s);
        }
      }
    }
    List<Product> hits = new ArrayList<>();
    for (String id : scores.keySet()) {
      Product p = products.get(id);
      if ((category == null || p.category().equals(category))
          && (tag == null || p.tags().contains(tag))
          && (merchantType == null || p.merchantType().equals(merchantType))
          && (merchantId == null || p.merchantId().equals(merchantId))
          && (pi == null || p.personalInformation().equals(pi))
          && (crossBorder == null || crossBorder == p.offerIds().stream().anyMatch(o -> offers.get(o).policy()
          .crossBorder()))) {
        hits.add(p);
      }
    }
    hits.sort(Comparator.comparing((Product p) -> -scores.get(p.id())).thenComparing(Product::id));
    Map<String, Map<String, Integer>> facets = new LinkedHashMap<>();
    facets.put("category", new TreeMap<>());
    facets.put("merchantType", new TreeMap<>());
    facets.put("tag", new TreeMap<>());
    facets.put("personalInformation", new TreeMap<>());
    for (Product p : hits) {
      facets.get("category").merge(p.category(), 1, Integer::sum);
      facets.get("merchantType").merge(p.merchantType(), 1, Integer::sum);
      facets.get("personalInformation").merge(p.personalInformation(), 1, Integer::sum);
      for (String t : p.tags()) {
        facets.get("tag").merge(t, 1, Integer::sum);
      }
    }
    int offset = decodeCursor(cursor);
    int end = Math.min(hits.size(), offset + limit);
    List<Product> page = offset >= hits.size() ? List.of() : hits.subList(offset, end);
    String next = end < hits.size() ? encodeCursor(end) : null;
    return new SearchResult(List.copyOf(page), hits.size(), next, facets);
  }

  static String encodeCursor(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  static int decodeCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!s.startsWith("o:")) {
        throw new IllegalArgumentException();
      }
      int n = Integer.parseInt(s.substring(2));
      if (n < 0) {
        throw new IllegalArgumentException();
      }
      return n;
    } catch (IllegalArgumentException e) {
      throw Problem.validation("cursor", "The cursor '" + cursor + "' is not valid; pass the nextCursor of the "
          + "previous page unchanged, or omit it to start from the beginning.");
    }
  }

  // ---- policy dry-run ----

  record IntendedUse(String purpose, Integer durationDays, String territory, Boolean crossBorder,
      String redistribution) {}

  record Violation(String field, String code, String message) {}

  record DryRun(String offerId, boolean allowed, List<Violation> violations, UsagePolicy policy) {}

  DryRun dryRun(Offer offer, IntendedUse use) {
    if (use == null) {
      throw Problem.badRequest("Send the intended use: {\"purpose\": ..., \"durationDays\": ..., \"territory\": ..., "
          + "\"crossBorder\": ..., \"redistribution\": ...}.");
    }
    requireField(use.purpose(), "purpose");
    if (use.durationDays() == null || use.durationDays() < 1 || use.durationDays() > 36500) {
      throw Problem.validation("durationDays", "durationDays must be between 1 and 36500, got " + use.durationDays()
          + ".");
    }
    requireField(use.territory(), "territory");
    String redistribution = use.redistribution() == null ? "NONE" : use.redistribution();
    if (!REDISTRIBUTION.contains(redistribution)) {
      throw Problem.validation("redistribution", "redistribution must be one of " + REDISTRIBUTION + ", got '"
          + redistribution + "'.");
    }
    boolean crossBorder = Boolean.TRUE.equals(use.crossBorder()) || !use.territory().equals("CN");
    UsagePolicy p = offer.policy();
    List<Violation> v = new ArrayList<>();
    if (!p.purposes().contains(use.purpose())) {
      v.add(new Violation("purpose", "purpose_not_permitted", "Purpose '" + use.purpose() + "' is not permitted by "
          + "offer " + offer.id() + "; permitted purposes: " + String.join(", ", p.purposes()) + "."));
    }
    if (use.durationDays() > p.maxDurationDays()) {
      v.add(new Violation("durationDays", "duration_exceeded", "A use of " + use.durationDays() + " days exceeds the "
          + "offer's maximum of " + p.maxDurationDays() + " days; order again when the licence ends."));
    }
    if (!p.territories().contains(use.territory())) {
      v.add(new Violation("territory", "territory_not_permitted", "Territory '" + use.territory() + "' is not "
          + "covered; the offer covers " + String.join(", ", p.territories()) + "."));
    }
    if (crossBorder && !p.crossBorder()) {
      v.add(new Violation("crossBorder", "cross_border_forbidden", "The offer forbids transferring the data outside "
          + "mainland China (cross-border transfer)."));
    }
    if (crossBorder && (p.personalInformation().equals("PERSONAL") || p.personalInformation().equals("SENSITIVE"))) {
      v.add(new Violation("personalInformation", "personal_information_export", "The product contains "
          + p.personalInformation().toLowerCase(Locale.ROOT) + " personal information; exporting it needs a security "
          + "assessment or standard contract filing (PIPL art. 38), which this offer does not include."));
    }
    if (REDISTRIBUTION.indexOf(redistribution) > REDISTRIBUTION.indexOf(p.redistribution())) {
      v.add(new Violation("redistribution", "redistribution_not_permitted", "Redistribution '" + redistribution
          + "' exceeds what the offer allows ('" + p.redistribution() + "')."));
    }
    return new DryRun(offer.id(), v.isEmpty(), List.copyOf(v), p);
  }

  private static void requireField(String value, String field) {
    if (value == null || value.isBlank()) {
      throw Problem.validation(field, "The intended use needs '" + field + "'.");
    }
  }
}
