package io.shudu.iot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import io.shudu.core.internal.Json;
import io.shudu.iot.Observation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming reader of Observation pages gives what data binding gives, or gives up. */
class ObservationPagesTest {
  static final JavaType PAGE = Json.mapper().getTypeFactory()
      .constructParametricType(ListingBody.class, Observation.class);

  static ListingBody<Observation> bound(byte[] body) {
    try {
      return Json.mapper().readValue(body, PAGE);
    } catch (Exception e) {
      return null;
    }
  }

  /** Fast and bound agree member by member, including the classes of untyped values. */
  static void assertSame(ListingBody<Observation> fast, ListingBody<Observation> bound, String json) {
    assertThat(bound).as(json).isNotNull();
    assertThat(fast).as(json).isEqualTo(bound);
    if (fast.value() != null) {
      assertThat(fast.value()).as(json).hasSameClassAs(bound.value());
      for (int i = 0; i < fast.value().size(); i++) {
        Observation f = fast.value().get(i);
        Observation b = bound.value().get(i);
        assertThat(classOf(f.result())).as(json).isEqualTo(classOf(b.result()));
        assertThat(classOf(f.resultQuality())).as(json).isEqualTo(classOf(b.resultQuality()));
        assertThat(classOf(f.parameters())).as(json).isEqualTo(classOf(b.parameters()));
        assertThat(String.valueOf(f)).as(json).isEqualTo(String.valueOf(b));
      }
    }
  }

  static Class<?> classOf(Object o) {
    return o == null ? null : o.getClass();
  }

  @Test
  void realisticPagesTakeTheFastPathAndEqualDataBinding() {
    Random rnd = new Random(12);
    for (int round = 0; round < 200; round++) {
      StringBuilder sb = new StringBuilder("{\"value\":[");
      int n = rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        long id = rnd.nextInt(2) == 0 ? rnd.nextInt(1_000_000) : rnd.nextLong() & Long.MAX_VALUE;
        String self = "http://127.0.0.1:8080/iot/v1.1/Observations(" + id + ")";
        sb.append(i == 0 ? "" : ",").append("{\"@iot.id\":").append(id).append(",\"@iot.selfLink\":\"").append(self)
            .append("\",\"phenomenonTime\":\"").append(time(rnd)).append('"')
            .append(",\"resultTime\":").append(rnd.nextBoolean() ? "null" : "\"" + utc(rnd) + "\"")
            .append(",\"result\":").append(rnd.nextBoolean() ? Double.toString(rnd.nextDouble() * 20) : rnd.nextInt(500))
            .append(",\"Datastream@iot.navigationLink\":\"").append(self).append("/Datastream\"")
            .append(",\"FeatureOfInterest@iot.navigationLink\":\"").append(self).append("/FeatureOfInterest\"}");
      }
      sb.append(']');
      if (rnd.nextBoolean()) {
        sb.append(",\"@iot.nextLink\":\"http://127.0.0.1:8080/iot/v1.1/Datastreams(1)/Observations?$top=")
            .append(n).append("&$skip=").append(round * n).append('"');
      }
      if (rnd.nextBoolean()) {
        sb.append(",\"@iot.count\":").append(rnd.nextInt(1_000_000));
      }
      String json = sb.append('}').toString();
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      ListingBody<Observation> fast = ObservationPages.read(body);
      assertThat(fast).as(json).isNotNull();
      assertSame(fast, bound(body), json);
    }
  }

  @Test
  void randomPagesEqualDataBindingWhenTheFastPathAnswers() {
    Random rnd = new Random(7);
    int fastCount = 0;
    int rounds = 20_000;
    for (int round = 0; round < rounds; round++) {
      String json = randomPage(rnd);
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      ListingBody<Observation> fast = ObservationPages.read(body);
      if (fast != null) {
        fastCount++;
        assertSame(fast, bound(body), json);
      }
    }
    // the generator is not so hostile that the fast path never answers
    assertThat(fastCount).isGreaterThan(rounds / 20);
  }

  @Test
  void givesUpOnWhatItDoesNotHandle() {
    for (String json : List.of("", "[]", "{", "{\"value\":[{}]", "{\"value\":{}}", "{\"value\":[null]}",
        "{\"value\":[{\"@iot.id\":\"5\"}]}", "{\"value\":[{\"@iot.id\":1.5}]}",
        "{\"value\":[{\"@iot.id\":99999999999999999999}]}", "{\"value\":[{\"@iot.id\":1,\"@iot.id\":2}]}",
        "{\"value\":[],\"value\":[]}", "{\"value\":[{\"phenomenonTime\":\"\"}]}",
        "{\"value\":[{\"phenomenonTime\":\"yesterday\"}]}", "{\"value\":[{\"resultTime\":\"2024-05-01T08:00:00+08:00\"}]}",
        "{\"value\":[{\"@iot.selfLink\":5}]}", "{\"value\":[]} trailing")) {
      ListingBody<Observation> fast = ObservationPages.read(json.getBytes(StandardCharsets.UTF_8));
      if (fast != null) {
        assertSame(fast, bound(json.getBytes(StandardCharsets.UTF_8)), json);
      }
    }
    assertThat(ObservationPages.read("{\"value\":[{\"@iot.id\":\"5\"}]}".getBytes(StandardCharsets.UTF_8)))
        .isNull();
    assertThat(ObservationPages.read("{\"value\":[{\"resultTime\":\"2024-05-01T08:00:00+08:00\"}]}"
        .getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(ObservationPages.read("{".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  static String time(Random rnd) {
    return rnd.nextInt(4) == 0 ? instant(rnd) + "/" + instant(rnd).replace("2024", "2025") : instant(rnd);
  }

  /** The platform's canonical form, as {@code Instant.toString()} writes it. */
  static String utc(Random rnd) {
    return java.time.Instant.ofEpochSecond(1_600_000_000L + rnd.nextInt(200_000_000),
        rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1_000_000_000)).toString();
  }

  static String instant(Random rnd) {
    String base = String.format("2024-%02d-%02dT%02d:%02d:%02d", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28),
        rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60));
    String frac = switch (rnd.nextInt(4)) {
      case 0 -> "";
      case 1 -> "." + rnd.nextInt(10);
      case 2 -> String.format(".%03d", rnd.nextInt(1000));
      default -> String.format(".%09d", rnd.nextInt(1_000_000_000));
    };
    return base + frac + (rnd.nextInt(6) == 0 ? "+08:00" : "Z");
  }

  static String randomPage(Random rnd) {
    List<String> members = new ArrayList<>();
    if (rnd.nextInt(10) > 0) {
      StringBuilder v = new StringBuilder("\"value\":");
      if (rnd.nextInt(30) == 0) {
        v.append(rnd.nextBoolean() ? "null" : "{}");
      } else {
        v.append('[');
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          v.append(i == 0 ? "" : ",").append(rnd.nextInt(60) == 0 ? "null" : randomObservation(rnd));
        }
        v.append(']');
      }
      members.add(v.toString());
    }
    if (rnd.nextBoolean()) {
      members.add("\"@iot.nextLink\":" + pick(rnd, "\"http://x/Observations?$skip=2\"", "null", "5", "\"\""));
    }
    if (rnd.nextBoolean()) {
      members.add("\"@iot.count\":" + pick(rnd, "7", "null", "\"7\"", "7.0", "12345678901234567890"));
    }
    if (rnd.nextInt(4) == 0) {
      members.add("\"other\":" + randomJson(rnd, 2));
    }
    if (rnd.nextInt(40) == 0 && !members.isEmpty()) {
      members.add(members.get(0)); // a repeated member
    }
    java.util.Collections.shuffle(members, rnd);
    return "{" + String.join(",", members) + "}";
  }

  static String randomObservation(Random rnd) {
    List<String> members = new ArrayList<>();
    String[][] choices = {
        {"\"@iot.id\"", "1", "0", "-3", "2147483648", "9223372036854775807", "9223372036854775808", "1.0", "\"12\"",
            "null", "true"},
        {"\"@iot.selfLink\"", "\"http://x/Observations(1)\"", "\"\"", "null", "5", "false", "\"caf\\u00e9\""},
        {"\"phenomenonTime\"", "\"" + time(rnd) + "\"", "\"" + time(rnd) + "\"", "null", "\"\"", "\"nope\"", "17",
            "\"2024-05-01T09:00:00Z/2024-05-01T08:00:00Z\"", "\"2024-05-01T08:00:00+08:00/2024-05-01T09:00:00Z\""},
        {"\"resultTime\"", "\"" + instant(rnd) + "\"", "null", "\"2024-13-01T08:00:00Z\"", "\"x\"", "0",
            "\"2024-05-01T08:00:00.1234567891Z\""},
        {"\"result\"", "1", "-1", "2147483648", "12345678901234567890123", "1.5", "-0.0", "1e3", "1E-7",
            "3.141592653589793238462643383279", "\"text\"", "true", "false", "null", "{\"a\":1,\"b\":[1,2.5]}",
            "[1,\"x\",null]", "[]", "{}"},
        {"\"resultQuality\"", "\"good\"", "null", "{\"q\":0.9}", "[1,2]", "3", "2.5"},
        {"\"validTime\"", "\"" + time(rnd) + "\"", "null", "\"bad\""},
        {"\"parameters\"", "{\"depth\":1.5,\"site\":\"A\"}", "{}", "null", "[1]", "\"p\""},
        {"\"Datastream\"", "{\"@iot.id\":5}", "null", "{\"@iot.id\":\"x\"}", "5"},
        {"\"MultiDatastream\"", "{\"@iot.id\":6}", "null"},
        {"\"FeatureOfInterest\"", "{\"@iot.id\":8,\"name\":\"f\"}", "null", "[]"},
        {"\"Datastream@iot.navigationLink\"", "\"http://x/Observations(1)/Datastream\""},
        {"\"FeatureOfInterest@iot.navigationLink\"", "\"http://x/Observations(1)/FeatureOfInterest\""},
        {"\"id\"", "5"}, {"\"selfLink\"", "\"s\""}, {"\"datastream\"", "{\"@iot.id\":5}"}, {"\"Result\"", "4"},
        {"\"featureOfInterest\"", "{\"@iot.id\":5}"},
    };
    for (String[] c : choices) {
      if (rnd.nextInt(3) > 0) {
        // mostly valid values (the first alternatives), sometimes anything
        int i = rnd.nextInt(4) > 0 ? 1 + rnd.nextInt(Math.min(2, c.length - 1)) : 1 + rnd.nextInt(c.length - 1);
        members.add(c[0] + ":" + c[i]);
      }
    }
    if (rnd.nextInt(50) == 0 && !members.isEmpty()) {
      members.add(members.get(rnd.nextInt(members.size())));
    }
    if (rnd.nextInt(5) == 0) {
      members.add("\"x" + rnd.nextInt(100) + "\":" + randomJson(rnd, 3));
    }
    java.util.Collections.shuffle(members, rnd);
    return "{" + String.join(",", members) + "}";
  }

  static String randomJson(Random rnd, int depth) {
    int k = rnd.nextInt(depth <= 0 ? 4 : 6);
    return switch (k) {
      case 0 -> Integer.toString(rnd.nextInt());
      case 1 -> "\"s" + rnd.nextInt(9) + "\"";
      case 2 -> rnd.nextBoolean() ? "true" : "null";
      case 3 -> Double.toString(rnd.nextGaussian());
      case 4 -> "[" + randomJson(rnd, depth - 1) + "," + randomJson(rnd, depth - 1) + "]";
      default -> "{\"k\":" + randomJson(rnd, depth - 1) + "}";
    };
  }

  static String pick(Random rnd, String... options) {
    return options[rnd.nextInt(options.length)];
  }
}
