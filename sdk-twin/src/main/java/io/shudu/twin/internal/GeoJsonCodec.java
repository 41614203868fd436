package io.shudu.twin.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.internal.Json;
import io.shudu.twin.Geometry;
import io.shudu.twin.Position;
import java.io.IOException;
import java.util.Map;

/** GeoJSON positions as {@code [lon, lat]} arrays, geometry to text, and merge-patch documents that keep nulls. */
public final class GeoJsonCodec {
  private GeoJsonCodec() {}

  /** Writes a position as {@code [lon, lat]}. */
  public static final class PositionSerializer extends JsonSerializer<Position> {
    @Override
    public void serialize(Position p, JsonGenerator gen, SerializerProvider sp) throws IOException {
      gen.writeStartArray();
      gen.writeNumber(p.lon());
      gen.writeNumber(p.lat());
      gen.writeEndArray();
    }
  }

  /** Reads {@code [lon, lat]} or {@code [lon, lat, alt]}. */
  public static final class PositionDeserializer extends JsonDeserializer<Position> {
    @Override
    public Position deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw ctx.wrongTokenException(p, Position.class, JsonToken.START_ARRAY, "a GeoJSON position is [lon, lat]");
      }
      double[] v = new double[2];
      int n = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (!t.isNumeric()) {
          throw ctx.wrongTokenException(p, Position.class, JsonToken.VALUE_NUMBER_FLOAT,
              "a GeoJSON position holds numbers");
        }
        if (n < 2) {
          v[n] = p.getDoubleValue();
        }
        n++; // an altitude is read and ignored
      }
      if (n < 2) {
        throw ctx.weirdStringException("[" + n + " numbers]", Position.class, "a GeoJSON position is [lon, lat]");
      }
      return new Position(v[0], v[1]);
    }
  }

  /**
   * A geometry as GeoJSON text.
   *
   * @param g the geometry
   * @return JSON text
   */
  public static String write(Geometry g) {
    try {
      return Json.mapper().writerFor(Geometry.class).writeValueAsString(g);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("geometry could not be written as GeoJSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * A merge-patch document as a JSON tree in which null members stay (they remove members, RFC 7396).
   *
   * @param doc nested maps of values
   * @return the tree
   */
  public static ObjectNode patchTree(Map<String, Object> doc) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Object> e : doc.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        o.putNull(e.getKey());
      } else if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) m;
        o.set(e.getKey(), patchTree(inner));
      } else if (v instanceof Geometry g) {
        try {
          o.set(e.getKey(), Json.mapper().readTree(write(g)));
        } catch (JsonProcessingException ex) {
          throw new IllegalArgumentException(ex.getOriginalMessage(), ex);
        }
      } else {
        o.set(e.getKey(), Json.mapper().valueToTree(v));
      }
    }
    return o;
  }
}
