package io.shudu.iot.internal;

import static io.shudu.core.internal.FastJson.GIVE_UP;
import static io.shudu.core.internal.FastJson.instant;
import static io.shudu.core.internal.FastJson.nullableLong;
import static io.shudu.core.internal.FastJson.once;
import static io.shudu.core.internal.FastJson.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.core.internal.Json;
import io.shudu.iot.Datastream;
import io.shudu.iot.FeatureOfInterest;
import io.shudu.iot.MultiDatastream;
import io.shudu.iot.Observation;
import io.shudu.iot.TimeValue;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a page of Observations ({@code {"value": [...], "@iot.nextLink": ..., "@iot.count": ...}}) with the streaming
 * parser, to exactly what data binding of {@code ListingBody<Observation>} with the SDK mapper gives, at a fraction of
 * its cost: data binding through the records' property-based creators buffers every member it does not bind (each
 * {@code ...@iot.navigationLink}) in a {@code TokenBuffer}, and calls {@code TimeValue.parse} reflectively
 * (benchmarks/run.sh, iot: the client's CPU time and garbage per listed observation).
 *
 * <p>Scalars are decoded here; nested documents (an expanded Datastream, {@code parameters}, an object or array
 * {@code result}) by the same mapper. Anything this reader does not handle exactly as data binding does (another
 * token type than expected, a repeated member, a value the value types reject, malformed JSON) makes it give up, and
 * the caller binds the page the general way, which then decodes it or reports the error as before. {@code
 * ObservationPagesTest} compares both on many random and realistic pages.
 */
final class ObservationPages {
  private static final JavaType PARAMETERS = Json.mapper().constructType(new TypeReference<Map<String, Object>>() {});

  /** How many member names of an observation are predicted from the page's first one. */
  private static final int MEMBERS = 16;

  private ObservationPages() {}

  /**
   * Reads a page.
   *
   * @param body the JSON answer
   * @return the page, or null when it must be bound the general way
   */
  static ListingBody<Observation> read(byte[] body) {
    ObjectMapper mapper = Json.mapper();
    try (JsonParser p = mapper.createParser(body)) {
      return page(p, mapper);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static ListingBody<Observation> page(JsonParser p, ObjectMapper mapper) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw GIVE_UP;
    }
    List<Observation> value = null;
    String next = null;
    Long count = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "value" -> {
          seen = once(seen, 1);
          value = t == JsonToken.VALUE_NULL ? null : observations(p, t, mapper);
        }
        case "@iot.nextLink" -> {
          seen = once(seen, 2);
          next = string(p, t);
        }
        case "@iot.count" -> {
          seen = once(seen, 4);
          count = nullableLong(p, t);
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw GIVE_UP;
    }
    return new ListingBody<>(value, next, count);
  }

  private static List<Observation> observations(JsonParser p, JsonToken t, ObjectMapper mapper) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw GIVE_UP;
    }
    List<Observation> out = new ArrayList<>();
    SerializedString[] order = new SerializedString[MEMBERS];
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      out.add(observation(p, mapper, order));
    }
    return out;
  }

  /**
   * The next member name, as {@link JsonParser#nextFieldName()} gives it, or null at the end of the object. A page's
   * observations list their members in one order: {@code order} holds the names in the order the first observation
   * had them, and the parser is asked whether the next name is the one expected there, which it answers by comparing
   * bytes ({@link JsonParser#nextFieldName(com.fasterxml.jackson.core.SerializableString)}, same tokens) instead of
   * hashing the name into its symbol table (the larger part of the parsing time).
   */
  private static String nextName(JsonParser p, SerializedString[] order, int k) throws IOException {
    SerializedString expected = k < order.length ? order[k] : null;
    if (expected == null) {
      String name = p.nextFieldName();
      if (name != null && k < order.length) {
        order[k] = new SerializedString(name);
      }
      return name;
    }
    if (p.nextFieldName(expected)) {
      return expected.getValue();
    }
    return p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
  }

  private static Observation observation(JsonParser p, ObjectMapper mapper, SerializedString[] order)
      throws IOException {
    Long id = null;
    String selfLink = null;
    TimeValue phenomenonTime = null;
    Instant resultTime = null;
    Object result = null;
    Object resultQuality = null;
    TimeValue validTime = null;
    Map<String, Object> parameters = null;
    Datastream datastream = null;
    MultiDatastream multiDatastream = null;
    FeatureOfInterest featureOfInterest = null;
    int seen = 0;
    String name;
    for (int k = 0; (name = nextName(p, order, k)) != null; k++) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "@iot.id" -> {
          seen = once(seen, 1);
          id = nullableLong(p, t);
        }
        case "@iot.selfLink" -> {
          seen = once(seen, 1 << 1);
          selfLink = string(p, t);
        }
        case "phenomenonTime" -> {
          seen = once(seen, 1 << 2);
          phenomenonTime = time(p, t);
        }
        case "resultTime" -> {
          seen = once(seen, 1 << 3);
          resultTime = instant(p, t);
        }
        case "result" -> {
          seen = once(seen, 1 << 4);
          result = untyped(p, t, mapper);
        }
        case "resultQuality" -> {
          seen = once(seen, 1 << 5);
          resultQuality = t == JsonToken.VALUE_NULL ? null : mapper.readValue(p, Object.class);
        }
        case "validTime" -> {
          seen = once(seen, 1 << 6);
          validTime = time(p, t);
        }
        case "parameters" -> {
          seen = once(seen, 1 << 7);
          parameters = t == JsonToken.VALUE_NULL ? null : mapper.readValue(p, PARAMETERS);
        }
        case "Datastream" -> {
          seen = once(seen, 1 << 8);
          datastream = t == JsonToken.VALUE_NULL ? null : mapper.readValue(p, Datastream.class);
        }
        case "MultiDatastream" -> {
          seen = once(seen, 1 << 9);
          multiDatastream = t == JsonToken.VALUE_NULL ? null : mapper.readValue(p, MultiDatastream.class);
        }
        case "FeatureOfInterest" -> {
          seen = once(seen, 1 << 10);
          featureOfInterest = t == JsonToken.VALUE_NULL ? null : mapper.readValue(p, FeatureOfInterest.class);
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw GIVE_UP;
    }
    return new Observation(id, selfLink, phenomenonTime, resultTime, result, resultQuality, validTime, parameters,
        datastream, multiDatastream, featureOfInterest);
  }

  private static TimeValue time(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw GIVE_UP;
    }
    String text = p.getText();
    if (text.isEmpty()) {
      throw GIVE_UP;
    }
    return TimeValue.parse(text); // what data binding calls (its @JsonCreator); an exception gives up
  }

  /** As the mapper binds {@code Object}: Integer, Long or BigInteger, Double, String, Boolean, maps and lists. */
  private static Object untyped(JsonParser p, JsonToken t, ObjectMapper mapper) throws IOException {
    return switch (t) {
      case VALUE_NULL -> null;
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NUMBER_INT -> p.getNumberValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case START_OBJECT, START_ARRAY -> mapper.readValue(p, Object.class);
      default -> throw GIVE_UP;
    };
  }
}
