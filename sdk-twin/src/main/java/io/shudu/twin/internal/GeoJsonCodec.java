package io.shudu.twin.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.geo.Geometry;
import io.shudu.core.internal.Json;
import java.util.Map;

/** The JSON merge-patch document of an {@code EntityPatch}; geometries are written by sdk-core's GeoJSON codec. */
public final class GeoJsonCodec {
  private GeoJsonCodec() {}

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
        o.set(e.getKey(), io.shudu.core.internal.GeoJsonCodec.toTree(g));
      } else {
        o.set(e.getKey(), Json.mapper().valueToTree(v));
      }
    }
    return o;
  }
}
