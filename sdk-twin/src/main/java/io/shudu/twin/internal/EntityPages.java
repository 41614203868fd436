package io.shudu.twin.internal;

import static io.shudu.core.internal.FastJson.GIVE_UP;
import static io.shudu.core.internal.FastJson.instant;
import static io.shudu.core.internal.FastJson.longValue;
import static io.shudu.core.internal.FastJson.once;
import static io.shudu.core.internal.FastJson.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.shudu.core.geo.Geometry;
import io.shudu.core.internal.Json;
import io.shudu.twin.Crs;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.twin.ExternalRefs;
import io.shudu.twin.Property;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a page of entities ({@code {"items": [...], "continuationToken": ...}}) with the streaming parser, to exactly
 * what data binding of {@code PageDto<Entity>} with the SDK mapper gives, with less garbage: data binding fills a
 * creator buffer per entity and per property, reads each enum as a new String, and builds a property map that the
 * {@link Entity} constructor then copies; this reader matches the enums in the parser's buffer and hands its map,
 * already unmodifiable and shared with nobody, to the constructor (see {@link PropertyHandoff}). Geometries and external
 * references are decoded by the mapper's own deserializers, in the same deserialization context.
 *
 * <p>Anything this reader does not handle exactly as data binding does (another token type than expected, a repeated
 * member, a value the records reject, a time not in the platform's canonical UTC form, malformed JSON) makes it give
 * up, and the caller binds the page the general way, which then decodes it or reports the error as before. {@code
 * EntityPagesTest} compares both on many random and realistic pages.
 */
final class EntityPages {
  private static final EntityType[] TYPES = EntityType.values();
  private static final Crs[] CRSES = Crs.values();
  private static final JavaType GEOMETRY = Json.mapper().constructType(Geometry.class);
  private static final JavaType EXTERNAL_REFS = Json.mapper().constructType(ExternalRefs.class);

  /*
   * The mapper's deserializers of the nested types, looked up once: Geometry's is a custom (@JsonDeserialize) one,
   * which Jackson's cache does not keep, so a lookup per entity introspected the class again (kilobytes of garbage).
   * Data binding also resolves them once, per bean deserializer. The shared mapper is never reconfigured.
   */
  private static volatile JsonDeserializer<Object> geometryReader;
  private static volatile JsonDeserializer<Object> externalRefsReader;

  private EntityPages() {}

  private static JsonDeserializer<Object> geometryReader(DeserializationContext ctxt) throws IOException {
    JsonDeserializer<Object> d = geometryReader;
    if (d == null) {
      geometryReader = d = ctxt.findRootValueDeserializer(GEOMETRY);
    }
    return d;
  }

  private static JsonDeserializer<Object> externalRefsReader(DeserializationContext ctxt) throws IOException {
    JsonDeserializer<Object> d = externalRefsReader;
    if (d == null) {
      externalRefsReader = d = ctxt.findRootValueDeserializer(EXTERNAL_REFS);
    }
    return d;
  }

  /** What the mapper reads with {@link Reader}: a page. */
  @JsonDeserialize(using = Reader.class)
  record Fast(TwinApis.PageDto<Entity> page) {}

  /**
   * Reads a page.
   *
   * @param body the JSON answer
   * @return the page, or null when it must be bound the general way
   */
  static TwinApis.PageDto<Entity> read(byte[] body) {
    try {
      return Json.mapper().readValue(body, Fast.class).page();
    } catch (Exception e) {
      return null;
    }
  }

  /** The Jackson side: the page from the parser, in one deserialization context. */
  static final class Reader extends JsonDeserializer<Fast> {
    @Override
    public Fast deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartObjectToken()) {
        throw GIVE_UP;
      }
      List<Entity> items = null;
      String token = null;
      int seen = 0;
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "items" -> {
            seen = once(seen, 1);
            items = t == JsonToken.VALUE_NULL ? null : entities(p, t, ctxt);
          }
          case "continuationToken" -> {
            seen = once(seen, 2);
            token = string(p, t);
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw GIVE_UP;
      }
      return new Fast(new TwinApis.PageDto<>(items, token));
    }
  }

  private static List<Entity> entities(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw GIVE_UP;
    }
    List<Entity> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      out.add(entity(p, ctxt));
    }
    return out;
  }

  private static Entity entity(JsonParser p, DeserializationContext ctxt) throws IOException {
    String id = null;
    EntityType type = null;
    Map<String, Property> properties = null;
    Geometry geometry = null;
    Crs crs = null;
    ExternalRefs externalRefs = null;
    long version = 0;
    String etag = null;
    Instant createdAt = null;
    Instant updatedAt = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> {
          seen = once(seen, 1);
          id = string(p, t);
        }
        case "type" -> {
          seen = once(seen, 1 << 1);
          type = t == JsonToken.VALUE_NULL ? null : type(p, t);
        }
        case "properties" -> {
          seen = once(seen, 1 << 2);
          properties = t == JsonToken.VALUE_NULL ? null : properties(p, t);
        }
        case "geometry" -> {
          seen = once(seen, 1 << 3);
          geometry = t == JsonToken.VALUE_NULL ? null : (Geometry) geometryReader(ctxt).deserialize(p, ctxt);
        }
        case "crs" -> {
          seen = once(seen, 1 << 4);
          crs = t == JsonToken.VALUE_NULL ? null : crs(p, t);
        }
        case "externalRefs" -> {
          seen = once(seen, 1 << 5);
          externalRefs = t == JsonToken.VALUE_NULL ? null
              : (ExternalRefs) externalRefsReader(ctxt).deserialize(p, ctxt);
        }
        case "version" -> {
          seen = once(seen, 1 << 6);
          version = longValue(p, t);
        }
        case "etag" -> {
          seen = once(seen, 1 << 7);
          etag = string(p, t);
        }
        case "createdAt" -> {
          seen = once(seen, 1 << 8);
          createdAt = instant(p, t);
        }
        case "updatedAt" -> {
          seen = once(seen, 1 << 9);
          updatedAt = instant(p, t);
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw GIVE_UP;
    }
    if (properties == null) {
      return new Entity(id, type, null, geometry, crs, externalRefs, version, etag, createdAt, updatedAt);
    }
    PropertyHandoff.hand(properties);
    try {
      return new Entity(id, type, properties, geometry, crs, externalRefs, version, etag, createdAt, updatedAt);
    } finally {
      PropertyHandoff.clear(); // taken, or the constructor failed before taking it
    }
  }

  /** The members in order, unmodifiable (what the Entity constructor's copy would be); a repeat replaces in place. */
  private static Map<String, Property> properties(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw GIVE_UP;
    }
    LinkedHashMap<String, Property> map = new LinkedHashMap<>();
    String name;
    while ((name = p.nextFieldName()) != null) {
      t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        map.put(name, null);
      } else if (t == JsonToken.START_OBJECT) {
        map.put(name, property(p));
      } else {
        throw GIVE_UP;
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw GIVE_UP;
    }
    return Collections.unmodifiableMap(map);
  }

  private static Property property(JsonParser p) throws IOException {
    Object value = null;
    String unit = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "value" -> {
          seen = once(seen, 1);
          value = t == JsonToken.START_ARRAY ? scalars(p) : scalar(p, t);
        }
        case "unit" -> {
          seen = once(seen, 2);
          unit = string(p, t);
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw GIVE_UP;
    }
    return new Property(value, unit); // its checks throw, and give up, where data binding's call would fail
  }

  /** A list as the mapper binds {@code Object} (an ArrayList), of scalars only: anything else gives up. */
  private static List<Object> scalars(JsonParser p) throws IOException {
    List<Object> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      out.add(scalar(p, t));
    }
    return out;
  }

  /** As the mapper binds {@code Object}: Integer, Long or BigInteger, Double, String, Boolean, or null. */
  private static Object scalar(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_NULL -> null;
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NUMBER_INT -> p.getNumberValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      default -> throw GIVE_UP;
    };
  }

  /** {@link EntityType#fromWireName} on the parser's characters, without a String. */
  private static EntityType type(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      char[] text = p.getTextCharacters();
      int off = p.getTextOffset();
      int len = p.getTextLength();
      for (EntityType type : TYPES) {
        if (matches(type.wireName(), text, off, len)) {
          return type;
        }
      }
    }
    throw GIVE_UP;
  }

  /** {@link Crs#fromCode} on the parser's characters, without a String. */
  private static Crs crs(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      char[] text = p.getTextCharacters();
      int off = p.getTextOffset();
      int len = p.getTextLength();
      for (Crs crs : CRSES) {
        if (matches(crs.code(), text, off, len)) {
          return crs;
        }
      }
    }
    throw GIVE_UP;
  }

  private static boolean matches(String s, char[] text, int off, int len) {
    if (s.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (s.charAt(i) != text[off + i]) {
        return false;
      }
    }
    return true;
  }
}
