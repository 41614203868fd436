package io.shudu.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.FeedEvent;
import io.shudu.core.internal.FeedDecoder;
import io.shudu.core.internal.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decoding of the CloudEvents envelope, including the fast timestamp path against java.time's parser. */
class FeedDecoderTest {
  private final FeedDecoder<Map<String, Object>> decoder = new FeedDecoder<>("traffic",
      Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, Object.class));
  private final Instant now = Instant.parse("2030-01-01T00:00:00Z");

  private static String envelope(String time) {
    return "{\"specversion\":\"1.0\",\"id\":\"7\",\"source\":\"/feeds/v1/traffic\",\"type\":\"closure\","
        + "\"subject\":\"road-12\",\"time\":\"" + time + "\",\"extension\":{\"nested\":[1,2]},"
        + "\"datacontenttype\":\"application/json\",\"data\":{\"road\":\"G15\",\"lanes\":2}}";
  }

  @Test
  void decodesTheEnvelopeAndBindsThePayload() throws IOException {
    FeedEvent<Map<String, Object>> e = decoder.decode("7", "closure", envelope("2026-11-25T08:00:01.250Z"), now);
    assertThat(e.id()).isEqualTo(7);
    assertThat(e.type()).isEqualTo("closure");
    assertThat(e.key()).isEqualTo("road-12");
    assertThat(e.keyOptional()).hasValue("road-12");
    assertThat(e.payload()).containsEntry("road", "G15").containsEntry("lanes", 2);
    assertThat(e.publishedAt()).isEqualTo(Instant.parse("2026-11-25T08:00:01.250Z"));
    assertThat(e.receivedAt()).isEqualTo(now);
  }

  @Test
  void timestampsMatchJavaTimeForEveryPrecision() throws IOException {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          });
      String text = t.toString();
      assertThat(decoder.decode("1", "x", envelope(text), now).publishedAt()).as(text).isEqualTo(t);
    }
    for (String text : new String[] {"2024-02-29T23:59:59.9Z", "2026-11-25T08:00:01.12Z", "+10000-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z", "2026-12-31T23:59:59.123456789Z", "2026-11-25T24:00:00Z", "2026-11-25T08:00:00.Z",
        "2026-11-25T16:00:00+08:00"}) {
      assertThat(decoder.decode("1", "x", envelope(text), now).publishedAt()).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void invalidTimestampsAreRejectedNotGuessed() {
    for (String text : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T08:00:00+08:00x",
        "2026-11-25 08:00:00Z", "yesterday"}) {
      assertThatThrownBy(() -> decoder.decode("1", "x", envelope(text), now)).as(text)
          .isInstanceOf(IOException.class).hasMessageContaining("RFC 3339");
    }
  }

  @Test
  void controlEventsAreRead() throws IOException {
    assertThat(FeedDecoder.open("{\"feed\":\"t\",\"position\":4,\"lastId\":9,\"oldestId\":2}"))
        .isEqualTo(new FeedDecoder.Open(4, 9, 2));
    assertThat(FeedDecoder.gap("{\"requestedAfter\":1,\"oldestAvailable\":5,\"missed\":3}"))
        .isEqualTo(new FeedDecoder.Gap(1, 5, 3));
    assertThatThrownBy(() -> FeedDecoder.gap("{\"requestedAfter\":1}")).isInstanceOf(IOException.class)
        .hasMessageContaining("oldestAvailable");
  }
}
