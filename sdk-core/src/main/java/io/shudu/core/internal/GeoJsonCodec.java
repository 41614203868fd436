package io.shudu.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * GeoJSON (RFC 7946) reading and writing of {@link Geometry} and {@link Position}, the one codec of the clients and
 * the sandbox. Positions are {@code [lon, lat]}; an altitude is read and ignored.
 */
public final class GeoJsonCodec {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  private GeoJsonCodec() {}

  /**
   * Writes a geometry as compact GeoJSON text.
   *
   * @param g the geometry
   * @return GeoJSON
   */
  public static String write(Geometry g) {
    return toTree(g).toString();
  }

  /**
   * Reads GeoJSON text.
   *
   * @param text GeoJSON of a geometry
   * @return the geometry
   * @throws IllegalArgumentException when it is not a valid geometry
   */
  public static Geometry read(String text) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    return fromTree(node);
  }

  /**
   * A geometry as a JSON tree.
   *
   * @param g the geometry
   * @return {@code {"type":..., "coordinates": ...}} (or {@code geometries})
   */
  public static ObjectNode toTree(Geometry g) {
    ObjectNode o = NF.objectNode();
    o.put("type", g.geoJsonType());
    if (g instanceof Geometry.GeometryCollection c) {
      ArrayNode a = o.putArray("geometries");
      for (Geometry m : c.geometries()) {
        a.add(toTree(m));
      }
      return o;
    }
    o.set("coordinates", coordinates(g));
    return o;
  }

  private static JsonNode coordinates(Geometry g) {
    if (g instanceof Geometry.Point p) {
      return pos(p.coordinates());
    } else if (g instanceof Geometry.MultiPoint m) {
      return line(m.coordinates());
    } else if (g instanceof Geometry.LineString l) {
      return line(l.coordinates());
    } else if (g instanceof Geometry.MultiLineString m) {
      return rings(m.coordinates());
    } else if (g instanceof Geometry.Polygon p) {
      return rings(p.coordinates());
    }
    ArrayNode a = NF.arrayNode();
    for (List<List<Position>> poly : ((Geometry.MultiPolygon) g).coordinates()) {
      a.add(rings(poly));
    }
    return a;
  }

  private static ArrayNode pos(Position p) {
    return NF.arrayNode().add(p.lon()).add(p.lat());
  }

  private static ArrayNode line(List<Position> ps) {
    ArrayNode a = NF.arrayNode();
    ps.forEach(p -> a.add(pos(p)));
    return a;
  }

  private static ArrayNode rings(List<List<Position>> rs) {
    ArrayNode a = NF.arrayNode();
    rs.forEach(r -> a.add(line(r)));
    return a;
  }

  /**
   * Reads a geometry from a JSON tree.
   *
   * @param n the tree
   * @return the geometry
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Geometry fromTree(JsonNode n) {
    return fromTree(n, "");
  }

  /**
   * Reads a geometry from a JSON tree, naming the faulty member: messages start with its path from {@code path}, such
   * as {@code geometry.coordinates[0][2]: ...}.
   *
   * @param n the tree
   * @param path the name of the tree in messages (e.g. {@code geometry}); empty for none
   * @return the geometry
   * @throws IllegalArgumentException saying where and what is wrong
   */
  public static Geometry fromTree(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw invalid(path, "a GeoJSON geometry must be an object with \"type\" and \"coordinates\", such as "
          + "{\"type\":\"Point\",\"coordinates\":[121.92,30.91]}");
    }
    String type = n.path("type").asText("");
    if (type.equals("GeometryCollection")) {
      JsonNode gs = n.get("geometries");
      if (gs == null || !gs.isArray()) {
        throw invalid(path, "a GeoJSON GeometryCollection needs a \"geometries\" array");
      }
      List<Geometry> out = new ArrayList<>();
      for (int i = 0; i < gs.size(); i++) {
        out.add(fromTree(gs.get(i), member(path, "geometries[" + i + "]")));
      }
      return new Geometry.GeometryCollection(out);
    }
    if (!TYPES.contains(type)) {
      throw invalid(member(path, "type"), "unknown GeoJSON geometry type '" + type + "'; use Point, MultiPoint, "
          + "LineString, MultiLineString, Polygon, MultiPolygon or GeometryCollection");
    }
    String cp = member(path, "coordinates");
    JsonNode c = n.get("coordinates");
    if (c == null || !c.isArray()) {
      throw invalid(cp, "a GeoJSON " + type + " needs a \"coordinates\" array");
    }
    return switch (type) {
      case "Point" -> new Geometry.Point(position(c, cp));
      case "MultiPoint" -> build(cp, positions(c, cp), Geometry.MultiPoint::new);
      case "LineString" -> build(cp, positions(c, cp), Geometry.LineString::new);
      case "MultiLineString" -> {
        List<List<Position>> lines = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
          lines.add(build(cp + "[" + i + "]", positions(c.get(i), cp + "[" + i + "]"), Geometry.LineString::new)
              .coordinates());
        }
        yield new Geometry.MultiLineString(lines);
      }
      case "Polygon" -> polygon(c, cp);
      default -> {
        List<List<List<Position>>> polys = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
          polys.add(polygon(c.get(i), cp + "[" + i + "]").coordinates());
        }
        yield new Geometry.MultiPolygon(polys);
      }
    };
  }

  private static final java.util.Set<String> TYPES = java.util.Set.of("Point", "MultiPoint", "LineString",
      "MultiLineString", "Polygon", "MultiPolygon");

  private static String member(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static IllegalArgumentException invalid(String path, String what) {
    return new IllegalArgumentException(path.isEmpty() ? what : path + ": " + what);
  }

  /** Builds with the model's own validation, its message prefixed with the path. */
  private static <A, T> T build(String path, A arg, java.util.function.Function<A, T> ctor) {
    try {
      return ctor.apply(arg);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path.isEmpty() ? e.getMessage() : path + ": " + e.getMessage(), e);
    }
  }

  private static Geometry.Polygon polygon(JsonNode c, String path) {
    List<List<Position>> rings = lists(c, path);
    for (int i = 0; i < rings.size(); i++) {
      build(path + "[" + i + "]", rings.get(i), r -> new Geometry.Polygon(List.of(r))); // names the faulty ring
    }
    return build(path, rings, Geometry.Polygon::new);
  }

  private static JsonNode array(JsonNode n, String path) {
    if (n == null || !n.isArray()) {
      throw invalid(path, "GeoJSON coordinates must be nested arrays, got "
          + (n == null ? "nothing" : n.getNodeType()));
    }
    return n;
  }

  private static Position position(JsonNode c, String path) {
    array(c, path);
    if (c.size() < 2 || !c.get(0).isNumber() || !c.get(1).isNumber()) {
      throw invalid(path, "a GeoJSON position is [lon, lat] (numbers), got " + c);
    }
    return build(path, c, p -> new Position(p.get(0).asDouble(), p.get(1).asDouble()));
  }

  private static List<Position> positions(JsonNode c, String path) {
    List<Position> out = new ArrayList<>();
    array(c, path);
    for (int i = 0; i < c.size(); i++) {
      out.add(position(c.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  private static List<List<Position>> lists(JsonNode c, String path) {
    List<List<Position>> out = new ArrayList<>();
    array(c, path);
    for (int i = 0; i < c.size(); i++) {
      out.add(positions(c.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** Jackson serializer of {@link Geometry}. */
  public static final class Serializer extends JsonSerializer<Geometry> {
    /** Used by Jackson. */
    public Serializer() {}

    @Override
    public void serialize(Geometry g, JsonGenerator gen, SerializerProvider sp) throws IOException {
      gen.writeTree(toTree(g));
    }
  }

  /** Jackson deserializer of {@link Geometry}. */
  public static final class Deserializer extends JsonDeserializer<Geometry> {
    /** Used by Jackson. */
    public Deserializer() {}

    @Override
    public Geometry deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode n = p.readValueAsTree();
      try {
        return fromTree(n);
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, "invalid GeoJSON geometry: " + e.getMessage(), n, Geometry.class);
      }
    }
  }

  /** Jackson serializer of {@link Position} as {@code [lon, lat]}. */
  public static final class PositionSerializer extends JsonSerializer<Position> {
    /** Used by Jackson. */
    public PositionSerializer() {}

    @Override
    public void serialize(Position p, JsonGenerator gen, SerializerProvider sp) throws IOException {
      gen.writeStartArray();
      gen.writeNumber(p.lon());
      gen.writeNumber(p.lat());
      gen.writeEndArray();
    }
  }

  /** Jackson deserializer of {@link Position} from {@code [lon, lat]}. */
  public static final class PositionDeserializer extends JsonDeserializer<Position> {
    /** Used by Jackson. */
    public PositionDeserializer() {}

    @Override
    public Position deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode n = p.readValueAsTree();
      try {
        return position(n, "");
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, e.getMessage(), n, Position.class);
      }
    }
  }
}
