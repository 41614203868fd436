package io.shudu.iot.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.shudu.iot.Geometry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** GeoJSON (RFC 7946) encoding of {@link Geometry}; a GeoJSON Feature is read as its geometry. */
public final class GeoJsonCodec {
  private GeoJsonCodec() {}

  /** Writes a geometry as GeoJSON. */
  public static final class Serializer extends JsonSerializer<Geometry> {
    @Override
    public void serialize(Geometry g, JsonGenerator gen, SerializerProvider p) throws IOException {
      gen.writeStartObject();
      if (g instanceof Geometry.Point pt) {
        gen.writeStringField("type", "Point");
        gen.writeFieldName("coordinates");
        position(gen, pt.coordinates());
      } else if (g instanceof Geometry.LineString l) {
        gen.writeStringField("type", "LineString");
        gen.writeFieldName("coordinates");
        positions(gen, l.coordinates());
      } else if (g instanceof Geometry.Polygon poly) {
        gen.writeStringField("type", "Polygon");
        gen.writeArrayFieldStart("coordinates");
        for (List<Geometry.Position> ring : poly.coordinates()) {
          positions(gen, ring);
        }
        gen.writeEndArray();
      }
      gen.writeEndObject();
    }

    private static void position(JsonGenerator gen, Geometry.Position p) throws IOException {
      gen.writeStartArray();
      gen.writeNumber(p.longitude());
      gen.writeNumber(p.latitude());
      gen.writeEndArray();
    }

    private static void positions(JsonGenerator gen, List<Geometry.Position> ps) throws IOException {
      gen.writeStartArray();
      for (Geometry.Position p : ps) {
        position(gen, p);
      }
      gen.writeEndArray();
    }
  }

  /** Reads GeoJSON Point, LineString, Polygon (or a Feature holding one). */
  public static final class Deserializer extends JsonDeserializer<Geometry> {
    @Override
    public Geometry deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode n = p.readValueAsTree();
      try {
        return read(n);
      } catch (IllegalArgumentException e) {
        throw com.fasterxml.jackson.databind.exc.ValueInstantiationException.from(p, "Invalid GeoJSON: "
            + e.getMessage(), ctx.constructType(Geometry.class), e);
      }
    }
  }

  /**
   * Reads a GeoJSON node.
   *
   * @param n the node
   * @return the geometry, or null for JSON null
   */
  public static Geometry read(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    String type = n.path("type").asText();
    if (type.equals("Feature")) {
      return read(n.get("geometry"));
    }
    JsonNode c = n.path("coordinates");
    return switch (type) {
      case "Point" -> new Geometry.Point(position(c));
      case "LineString" -> new Geometry.LineString(positions(c));
      case "Polygon" -> {
        List<List<Geometry.Position>> rings = new ArrayList<>();
        c.forEach(r -> rings.add(positions(r)));
        yield new Geometry.Polygon(rings);
      }
      default -> throw new IllegalArgumentException("unsupported GeoJSON type '" + type
          + "'; the SDK reads Point, LineString, Polygon and Feature");
    };
  }

  private static Geometry.Position position(JsonNode c) {
    if (!c.isArray() || c.size() < 2) {
      throw new IllegalArgumentException("a position must be [longitude, latitude]");
    }
    return new Geometry.Position(c.get(0).asDouble(), c.get(1).asDouble());
  }

  private static List<Geometry.Position> positions(JsonNode c) {
    List<Geometry.Position> out = new ArrayList<>();
    c.forEach(x -> out.add(position(x)));
    return out;
  }
}
