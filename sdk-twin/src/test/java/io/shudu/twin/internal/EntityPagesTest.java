package io.shudu.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.twin.Property;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The streaming reader of entity pages gives what data binding gives, or gives up. */
class EntityPagesTest {
  static final TypeReference<TwinApis.PageDto<Entity>> PAGE = new TypeReference<>() {};

  static TwinApis.PageDto<Entity> bound(byte[] body) {
    try {
      return Json.mapper().readValue(body, PAGE);
    } catch (Exception e) {
      return null;
    }
  }

  static void assertSame(TwinApis.PageDto<Entity> fast, TwinApis.PageDto<Entity> bound, String json) {
    assertThat(bound).as(json).isNotNull();
    assertThat(fast).as(json).isEqualTo(bound);
    assertThat(String.valueOf(fast)).as(json).isEqualTo(String.valueOf(bound));
    if (fast.items() != null) {
      assertThat(fast.items()).as(json).hasSameClassAs(bound.items());
      for (int i = 0; i < fast.items().size(); i++) {
        Entity f = fast.items().get(i);
        Entity b = bound.items().get(i);
        assertThat(f.properties()).as(json).hasSameClassAs(b.properties());
        assertThat(List.copyOf(f.properties().keySet())).as(json).isEqualTo(List.copyOf(b.properties().keySet()));
        for (String name : f.properties().keySet()) {
          Property fp = f.properties().get(name);
          Property bp = b.properties().get(name);
          if (fp != null) {
            assertThat(fp.value()).as(json).hasSameClassAs(bp.value());
            if (fp.value() instanceof List<?> fl) {
              for (int k = 0; k < fl.size(); k++) {
                assertThat(fl.get(k)).as(json).hasSameClassAs(((List<?>) bp.value()).get(k));
              }
            }
          }
        }
      }
    }
    // nothing is left handed over once a page is read
    assertThat(PropertyHandoff.taken(Map.of())).isFalse();
  }

  static void check(String json, boolean mustBeFast) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    TwinApis.PageDto<Entity> fast = EntityPages.read(body);
    if (mustBeFast) {
      assertThat(fast).as(json).isNotNull();
    }
    if (fast != null) {
      assertSame(fast, bound(body), json);
    }
  }

  @Test
  void theSandboxDatasetTakesTheFastPathAndEqualsDataBinding() throws Exception {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      SandboxTenant demo = sandbox.tenant(Sandbox.DEFAULT_TENANT);
      OkHttpClient raw = new OkHttpClient();
      String cursor = null;
      int pages = 0;
      do {
        HttpUrl.Builder url = HttpUrl.get(sandbox.baseUrl().toString().replaceAll("/$", "") + "/twin/v1/entities")
            .newBuilder().addQueryParameter("bbox", "120.5,30.5,122.5,31.7").addQueryParameter("limit", "1000");
        if (cursor != null) {
          url.addQueryParameter("cursor", cursor);
        }
        try (Response r = raw.newCall(new Request.Builder().url(url.build()).header("X-Api-Key", demo.apiKey())
            .build()).execute()) {
          assertThat(r.code()).isEqualTo(200);
          byte[] body = r.body().bytes();
          TwinApis.PageDto<Entity> fast = EntityPages.read(body);
          assertThat(fast).isNotNull();
          assertSame(fast, bound(body), "page " + pages);
          cursor = fast.continuationToken();
        }
        pages++;
      } while (cursor != null);
      assertThat(pages).isGreaterThan(1);
      raw.dispatcher().executorService().shutdown();
      raw.connectionPool().evictAll();
    }
  }

  @Test
  void realisticPagesTakeTheFastPathAndEqualDataBinding() {
    Random rnd = new Random(11);
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder("{\"items\":[");
      int n = rnd.nextInt(30);
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ",").append(entity(rnd, false));
      }
      sb.append(']');
      if (rnd.nextBoolean()) {
        sb.append(",\"continuationToken\":\"YzEuMy4xMWJiZDRjYg").append(round).append('"');
      }
      check(sb.append('}').toString(), true);
    }
  }

  @Test
  void randomPagesEqualDataBindingWhenTheFastPathAnswers() {
    Random rnd = new Random(9);
    int fast = 0;
    int rounds = 20_000;
    for (int round = 0; round < rounds; round++) {
      List<String> members = new ArrayList<>();
      if (rnd.nextInt(10) > 0) {
        StringBuilder items = new StringBuilder("\"items\":");
        if (rnd.nextInt(30) == 0) {
          items.append(rnd.nextBoolean() ? "null" : "{}");
        } else {
          items.append('[');
          int n = rnd.nextInt(4);
          for (int i = 0; i < n; i++) {
            items.append(i == 0 ? "" : ",").append(rnd.nextInt(60) == 0 ? "null" : entity(rnd, true));
          }
          items.append(']');
        }
        members.add(items.toString());
      }
      if (rnd.nextBoolean()) {
        members.add("\"continuationToken\":" + pick(rnd, "\"abc\"", "null", "5", "\"\""));
      }
      if (rnd.nextInt(4) == 0) {
        members.add("\"other\":{\"k\":[1,{\"x\":null}]}");
      }
      if (rnd.nextInt(40) == 0 && !members.isEmpty()) {
        members.add(members.get(0));
      }
      java.util.Collections.shuffle(members, rnd);
      String json = "{" + String.join(",", members) + "}";
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      TwinApis.PageDto<Entity> f = EntityPages.read(body);
      if (f != null) {
        fast++;
        assertSame(f, bound(body), json);
      }
    }
    assertThat(fast).isGreaterThan(rounds / 20);
  }

  @Test
  void anEntityBuiltByHandStillCopiesItsProperties() {
    Map<String, Property> mine = new LinkedHashMap<>();
    mine.put("height", Property.of(45.0, "m"));
    Entity e = new Entity("b-1", EntityType.BUILDING, mine, null, null, null, 0, null, null, null);
    mine.put("use", Property.of("office"));
    assertThat(e.properties()).containsOnlyKeys("height");
    assertThat(PropertyHandoff.taken(mine)).isFalse();
    check("{\"items\":[{\"id\":\"b-1\",\"type\":\"building\",\"properties\":{\"height\":{\"value\":45.0,\"unit\":\"m\"}}}]}",
        true);
  }

  static String entity(Random rnd, boolean hostile) {
    List<String> members = new ArrayList<>();
    String[][] choices = {
        {"\"id\"", "\"lg-bldg-" + rnd.nextInt(10_000) + "\"", "\"pipe:" + rnd.nextInt(99) + "~a.b_c-d\"", "null",
            "\"\"", "\"bad id\"", "5"},
        {"\"type\"", "\"" + EntityType.values()[rnd.nextInt(EntityType.values().length)].wireName() + "\"",
            "\"building\"", "null", "\"Building\"", "\"castle\"", "3", "\"\""},
        {"\"properties\"", properties(rnd, false), properties(rnd, false), "null", "{}", properties(rnd, true),
            "[]", "\"p\""},
        {"\"geometry\"", pick(rnd, "{\"type\":\"Point\",\"coordinates\":[121.275,31.405]}",
            "{\"type\":\"Polygon\",\"coordinates\":[[[121.1,31.3],[121.3,31.3],[121.3,31.4],[121.1,31.3]]]}",
            "{\"type\":\"LineString\",\"coordinates\":[[121.1,31.3],[121.2,31.35]]}"), "null",
            "{\"type\":\"Point\"}", "{\"type\":\"Point\",\"coordinates\":[200,100]}", "7"},
        {"\"crs\"", "\"EPSG:4326\"", "\"EPSG:4490\"", "null", "\"EPSG:3857\"", "4326"},
        {"\"externalRefs\"", "{\"ifcGlobalId\":\"0K7w7JN$H0FRbDJFY2sR2p\",\"tilesFeatureId\":\"t-1\"}", "null",
            "{\"ifcGlobalId\":\"bad\"}", "{}", "[]"},
        {"\"version\"", Integer.toString(1 + rnd.nextInt(50)), "0", "null", "\"3\"", "2.0", "9223372036854775808"},
        {"\"etag\"", "\"\\\"" + rnd.nextInt(999) + "-1\\\"\"", "null", "5"},
        {"\"createdAt\"", "\"" + utc(rnd) + "\"", "null", "\"2024-05-01T08:00:00+08:00\"", "\"x\"", "12"},
        {"\"updatedAt\"", "\"" + utc(rnd) + "\"", "null", "\"2024-13-01T08:00:00Z\""},
        {"\"Id\"", "\"x\""}, {"\"props\"", "{}"}, {"\"unknown\"", "[1,{\"a\":\"b\"}]"},
    };
    for (int c = 0; c < choices.length; c++) {
      String[] choice = choices[c];
      boolean always = !hostile && c <= 1;
      if (always || rnd.nextInt(hostile ? 3 : 2) > 0 || (!hostile && c <= 9)) {
        if (!hostile && c >= 10 && rnd.nextInt(3) > 0) {
          continue;
        }
        int i = !hostile ? 1 + rnd.nextInt(Math.min(2, choice.length - 1))
            : rnd.nextInt(4) > 0 ? 1 + rnd.nextInt(Math.min(2, choice.length - 1)) : 1 + rnd.nextInt(choice.length - 1);
        members.add(choice[0] + ":" + choice[i]);
      }
    }
    if (hostile && rnd.nextInt(50) == 0 && !members.isEmpty()) {
      members.add(members.get(rnd.nextInt(members.size())));
    }
    java.util.Collections.shuffle(members, rnd);
    return "{" + String.join(",", members) + "}";
  }

  static String properties(Random rnd, boolean hostile) {
    List<String> members = new ArrayList<>();
    int n = rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      String name = pick(rnd, "name", "height", "floors", "use", "nameEn", "plannedArea", "diameter_mm", "lines",
          "_x" + rnd.nextInt(5));
      if (hostile && rnd.nextInt(8) == 0) {
        name = pick(rnd, "1bad", "", "a-b", "名称");
      }
      String value = pick(rnd, "\"嘉定区\"", "\"Jiading new town\"", "45.5", "12", "2147483648", "true", "false",
          "[\"L1\",\"L2\"]", "[1,2.5,true]", "123456789012345678901234567890", "1e2", "-0.0");
      if (hostile && rnd.nextInt(4) == 0) {
        value = pick(rnd, "null", "{\"a\":1}", "[[1]]", "[null]", "[]", "[{\"a\":1}]");
      }
      StringBuilder p = new StringBuilder("{");
      List<String> pm = new ArrayList<>();
      if (!hostile || rnd.nextInt(10) > 0) {
        pm.add("\"value\":" + value);
      }
      if (rnd.nextInt(3) == 0) {
        pm.add("\"unit\":" + (hostile ? pick(rnd, "\"m\"", "\"km2\"", "null", "\"\"", "\" \"", "5",
            "\"this unit symbol is far too long for a unit\"") : pick(rnd, "\"m\"", "\"km2\"", "\"mm\"")));
      }
      if (rnd.nextInt(6) == 0) {
        pm.add("\"note\":" + pick(rnd, "\"n\"", "{\"deep\":[1]}", "null"));
      }
      if (hostile && rnd.nextInt(20) == 0 && !pm.isEmpty()) {
        pm.add(pm.get(0));
      }
      java.util.Collections.shuffle(pm, rnd);
      p.append(String.join(",", pm)).append('}');
      String v = hostile && rnd.nextInt(15) == 0 ? pick(rnd, "null", "5", "\"s\"", "[]") : p.toString();
      members.add("\"" + name + "\":" + v);
    }
    return "{" + String.join(",", members) + "}";
  }

  static String utc(Random rnd) {
    return java.time.Instant.ofEpochSecond(1_600_000_000L + rnd.nextInt(200_000_000),
        rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1_000_000_000)).toString();
  }

  static String pick(Random rnd, String... options) {
    return options[rnd.nextInt(options.length)];
  }
}
