package io.shudu.core.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.internal.GeoJsonCodec;
import io.shudu.core.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared geometry model: GeoJSON both ways for every type, WKT, validation with clear messages. */
class GeometryTest {
  private static final Position A = Position.of(121.90, 30.88);
  private static final Position B = Position.of(121.95, 30.88);
  private static final Position C = Position.of(121.95, 30.92);

  @Test
  void everyTypeRoundTripsThroughGeoJsonTextAndJackson() throws Exception {
    Geometry.Polygon box = Geometry.box(121.90, 30.88, 121.95, 30.92);
    List<Geometry> all = List.of(Geometry.point(121.93, 30.90), new Geometry.MultiPoint(List.of(A, B)),
        Geometry.lineString(List.of(A, B, C)), new Geometry.MultiLineString(List.of(List.of(A, B), List.of(B, C))),
        box, new Geometry.MultiPolygon(List.of(box.coordinates(), box.coordinates())),
        new Geometry.GeometryCollection(List.of(Geometry.point(121.93, 30.90), box)));
    for (Geometry g : all) {
      String json = g.toGeoJson();
      assertThat(json).contains("\"type\":\"" + g.geoJsonType() + "\"");
      assertThat(Geometry.fromGeoJson(json)).isEqualTo(g);
      assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(g), Geometry.class)).isEqualTo(g);
    }
    assertThat(Geometry.point(121.93, 30.9).toGeoJson()).isEqualTo("{\"type\":\"Point\",\"coordinates\":[121.93,30.9]}");
    assertThat(Json.mapper().writeValueAsString(A)).isEqualTo("[121.9,30.88]");
    assertThat(Json.mapper().readValue("[121.9,30.88,4.5]", Position.class)).isEqualTo(A);
  }

  @Test
  void wktForODataLiterals() {
    assertThat(Geometry.point(121.0, 31.5).toWkt()).isEqualTo("POINT(121.0 31.5)");
    assertThat(Geometry.box(1, 2, 3, 4).toWkt()).isEqualTo("POLYGON((1.0 2.0, 3.0 2.0, 3.0 4.0, 1.0 4.0, 1.0 2.0))");
    assertThat(new Geometry.GeometryCollection(List.of(Geometry.point(1, 2))).toWkt())
        .isEqualTo("GEOMETRYCOLLECTION(POINT(1.0 2.0))");
  }

  @Test
  void badInputSaysWhatIsWrong() {
    assertThatThrownBy(() -> Position.of(31.2, 121.4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longitude first");
    assertThatThrownBy(() -> Geometry.fromGeoJson("{\"type\":\"Circle\",\"coordinates\":[1,2]}"))
        .hasMessageContaining("unknown GeoJSON geometry type 'Circle'");
    assertThatThrownBy(() -> Geometry.fromGeoJson("{\"type\":\"Point\"}")).hasMessageContaining("coordinates");
    assertThatThrownBy(() -> Geometry.fromGeoJson("{\"type\":\"Point\",\"coordinates\":[\"a\",1]}"))
        .hasMessageContaining("[lon, lat]");
    assertThatThrownBy(() -> Geometry.fromGeoJson("{\"type\":\"Polygon\",\"coordinates\":[[[1,2],[3,4],[5,6]]]}"))
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> Geometry.fromGeoJson("not json")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> Json.mapper().readValue("{\"type\":\"LineString\",\"coordinates\":[[1,2]]}",
        Geometry.class)).hasMessageContaining("at least 2 positions");
    assertThatThrownBy(() -> Geometry.box(2, 2, 1, 3)).hasMessageContaining("minLon < maxLon");
  }

  @Test
  void readingNamesTheFaultyMember() throws Exception {
    // the path from the document's root, so a client or the sandbox can say exactly what to fix
    assertThatThrownBy(() -> Geometry.fromGeoJson("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],"
        + "[1,1],[0,0]]],[[[0,0],[1,0],[1,1],[0,1]]]]}")).hasMessageStartingWith("coordinates[1][0]: ")
        .hasMessageContaining("must be closed: its last position must equal its first");
    assertThatThrownBy(() -> Geometry.fromGeoJson("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}"))
        .hasMessageStartingWith("coordinates[0]: ").hasMessageContaining("at least 4 positions");
    assertThatThrownBy(() -> GeoJsonCodec.fromTree(Json.mapper().readTree("{\"type\":\"GeometryCollection\","
        + "\"geometries\":[{\"type\":\"Point\",\"coordinates\":[0,0]},{\"type\":\"LineString\","
        + "\"coordinates\":[[0,0],[200,0]]}]}"), "zone")).hasMessageStartingWith("zone.geometries[1].coordinates[1]: ")
        .hasMessageContaining("lon must be a longitude in [-180, 180]");
    assertThatThrownBy(() -> GeoJsonCodec.fromTree(Json.mapper().readTree("{\"type\":\"Square\"}"), "zone"))
        .hasMessageStartingWith("zone.type: unknown GeoJSON geometry type 'Square'");
  }
}
