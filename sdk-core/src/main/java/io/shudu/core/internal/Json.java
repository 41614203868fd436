package io.shudu.core.internal;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/**
 * The one configured Jackson mapper of the SDK and the sandbox: java.time as ISO-8601 strings, unknown properties
 * tolerated (forward compatibility: a newer platform may add fields), nulls left out of requests.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new SimpleModule("shudu-fast-instant").addDeserializer(Instant.class, new FastInstant()))
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // correctly rounded like the JDK's parser, with a fraction of its garbage (decoded observations and entities)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
      .build();

  private Json() {}

  /**
   * Parses the canonical UTC form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} (what {@link Instant#toString()} writes)
   * without a {@code DateTimeFormatter}; any other text, valid or not, gives null for the caller's general parser.
   *
   * @param text the text
   * @return the instant, or null
   */
  public static Instant canonicalInstant(String text) {
    return FeedDecoder.fastUtc(text);
  }

  /**
   * Instants in the platform's canonical form ({@code 2026-11-25T08:00:00.040Z}, what {@link Instant#toString()}
   * writes) parsed without a {@code DateTimeFormatter}, which cost about two microseconds and two kilobytes of
   * garbage per timestamp and dominated the decoding of observations and twin entities (benchmarks/run.sh);
   * every other form, numbers, and properties with a {@code @JsonFormat} go to the JavaTimeModule's deserializer.
   */
  static final class FastInstant extends StdScalarDeserializer<Instant> implements ContextualDeserializer {
    private static final long serialVersionUID = 1L;

    FastInstant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        Instant fast = FeedDecoder.fastUtc(p.getText());
        if (fast != null) {
          return fast;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
        throws JsonMappingException {
      JsonFormat.Value format = findFormatOverrides(ctxt, property, Instant.class);
      if (format != null && !format.equals(JsonFormat.Value.empty())) {
        return InstantDeserializer.INSTANT.createContextual(ctxt, property);
      }
      return this;
    }
  }

  /** The shared, thread-safe mapper. Never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * RFC 7396 JSON Merge Patch, the one implementation (the sandbox's twin and IoT services use it): a non-object patch
   * replaces the target, object members merge recursively, a null member removes the member. Neither argument is
   * modified; the result shares no mutable node with them.
   *
   * @param target the document to patch, or null when absent
   * @param patch the merge patch
   * @return the patched document
   */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject()
        ? ((ObjectNode) target).deepCopy() : MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }
}
