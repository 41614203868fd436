package io.shudu.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.shudu.core.FeedEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Decodes the data of one feed event: a CloudEvents 1.0 structured-mode JSON envelope
 * ({@code {"specversion":"1.0","id":"42","source":"/feeds/v1/traffic","type":"observation","subject":"ds-7",
 * "time":"...","datacontenttype":"application/json","data":{...}}}) into a {@link FeedEvent}, streaming over the
 * envelope with Jackson's parser and binding only {@code data} to the payload type. Also reads the control events
 * {@code open} and {@code gap}. Thread-safe.
 *
 * @param <T> the payload type
 */
public final class FeedDecoder<T> {
  /**
   * The {@code open} control event: where this stream starts and the feed's current bounds.
   *
   * @param position the stream delivers the events after this id
   * @param lastId the newest event id of the feed when the stream opened (0 when none yet)
   * @param oldestId the oldest event id still in the replay window ({@code lastId + 1} when it is empty)
   */
  public record Open(long position, long lastId, long oldestId) {}

  /**
   * The {@code gap} control event.
   *
   * @param requestedAfter the resume point asked for
   * @param oldestAvailable the oldest event id still in the window
   * @param missed how many events of the feed were evicted after the resume point
   */
  public record Gap(long requestedAfter, long oldestAvailable, long missed) {}

  private final String feed;
  private final ObjectReader reader;

  /**
   * Creates a decoder.
   *
   * @param feed the feed's name (copied into each event)
   * @param payloadType the payload type
   */
  public FeedDecoder(String feed, JavaType payloadType) {
    this.feed = feed;
    this.reader = Json.mapper().readerFor(payloadType);
  }

  /**
   * Decodes one event.
   *
   * @param sseId the SSE {@code id} field (the event id), or null to take the envelope's id
   * @param sseType the SSE {@code event} field, or null to take the envelope's type
   * @param data the SSE data (one JSON document)
   * @param receivedAt when it was read
   * @return the event
   * @throws IOException if the data is not a valid envelope or the payload does not bind to the type
   */
  public FeedEvent<T> decode(String sseId, String sseType, String data, Instant receivedAt) throws IOException {
    return decodeTraced(sseId, sseType, data, receivedAt).event();
  }

  /**
   * An event with the producer's W3C traceparent (the CloudEvents distributed-tracing extension attribute), when
   * the envelope carries a valid one.
   *
   * @param event the event
   * @param traceparent the producer's traceparent, or null
   */
  public record Traced<T>(FeedEvent<T> event, String traceparent) {}

  /**
   * Like {@link #decode}, also reading the envelope's {@code traceparent} attribute (ignored unless valid).
   *
   * @param sseId the SSE {@code id} field, or null to take the envelope's id
   * @param sseType the SSE {@code event} field, or null to take the envelope's type
   * @param data the SSE data
   * @param receivedAt when it was read
   * @return the event and its producer's traceparent
   * @throws IOException if the data is not a valid envelope or the payload does not bind to the type
   */
  public Traced<T> decodeTraced(String sseId, String sseType, String data, Instant receivedAt) throws IOException {
    String id = sseId;
    String traceparent = null;
    String type = sseType;
    String subject = null;
    Instant time = null;
    T payload = null;
    try (JsonParser p = Json.mapper().createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the event data is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> {
            if (id == null) {
              id = p.getValueAsString();
            }
          }
          case "type" -> {
            if (type == null) {
              type = p.getValueAsString();
            }
          }
          case "subject" -> subject = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
          case "time" -> time = value == JsonToken.VALUE_NULL ? null : parseTime(p.getValueAsString());
          case "data" -> payload = value == JsonToken.VALUE_NULL ? null : reader.readValue(p);
          case "traceparent" -> traceparent = value == JsonToken.VALUE_STRING ? p.getText() : null;
          default -> p.skipChildren();
        }
      }
    }
    if (id == null) {
      throw new IOException("the event has no id");
    }
    long eventId;
    try {
      eventId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new IOException("the event id '" + id + "' is not a decimal number", e);
    }
    return new Traced<>(new FeedEvent<>(feed, eventId, type == null ? "message" : type, subject, payload,
        time == null ? receivedAt : time, receivedAt), Tracing.isValid(traceparent) ? traceparent : null);
  }

  /**
   * Reads the data of an {@code open} control event.
   *
   * @param data the SSE data
   * @return the bounds
   * @throws IOException if malformed
   */
  public static Open open(String data) throws IOException {
    JsonNode n = Json.mapper().readTree(data);
    return new Open(longField(n, "position"), longField(n, "lastId"), longField(n, "oldestId"));
  }

  /**
   * Reads the data of a {@code gap} control event.
   *
   * @param data the SSE data
   * @return the gap
   * @throws IOException if malformed
   */
  public static Gap gap(String data) throws IOException {
    JsonNode n = Json.mapper().readTree(data);
    return new Gap(longField(n, "requestedAfter"), longField(n, "oldestAvailable"), longField(n, "missed"));
  }

  private static long longField(JsonNode n, String field) throws IOException {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new IOException("the control event has no numeric '" + field + "'");
    }
    return v.asLong();
  }

  private static Instant parseTime(String s) throws IOException {
    Instant fast = fastUtc(s);
    if (fast != null) {
      return fast;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IOException("the event time '" + s + "' is not an RFC 3339 UTC timestamp", e);
    }
  }

  /**
   * Parses the common {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} form (what {@link Instant#toString()} writes for years
   * 0000-9999) without a DateTimeFormatter, which costs about two microseconds per call; anything else returns null
   * for the general parser.
   *
   * @param s the text
   * @return the instant, or null if the text is not in that form
   */
  static Instant fastUtc(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
        || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > lengthOfMonth(year, month)) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fractionDigits = n - 21;
      if (s.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return null;
      }
      int f = digits(s, 20, n - 1);
      if (f < 0) {
        return null;
      }
      nanos = f;
      for (int i = fractionDigits; i < 9; i++) {
        nanos *= 10;
      }
    } else if (s.charAt(19) != 'Z') {
      return null;
    }
    return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** Days in a month of the proleptic Gregorian calendar (what {@code YearMonth.lengthOfMonth} gives). */
  static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /**
   * Days since 1970-01-01 of a valid date (what {@code LocalDate.of(y, m, d).toEpochDay()} gives), without the
   * objects: the days-from-civil computation over 400-year eras.
   */
  static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
