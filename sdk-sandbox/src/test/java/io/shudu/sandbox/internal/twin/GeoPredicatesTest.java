package io.shudu.sandbox.internal.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import org.junit.jupiter.api.Test;

/** The twin's spatial predicates on JTS: holes, concave shapes, boundaries and touching edges. */
class GeoPredicatesTest {
  private static Geo.Shape shape(String geoJson) throws Exception {
    JsonNode n = Json.mapper().readTree(geoJson);
    return Geo.parse(n, "geometry");
  }

  private static Geo.Shape point(double lon, double lat) throws Exception {
    return shape("{\"type\":\"Point\",\"coordinates\":[" + lon + "," + lat + "]}");
  }

  @Test
  void aHoleIsOutsideAndTheBoundaryIsInside() throws Exception {
    Geo.Shape donut = shape("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
        + "[[4,4],[6,4],[6,6],[4,6],[4,4]]]}");
    assertThat(Geo.within(point(2, 2), donut)).isTrue();
    assertThat(Geo.within(point(5, 5), donut)).as("in the hole").isFalse();
    assertThat(Geo.intersects(point(5, 5), donut)).as("in the hole").isFalse();
    assertThat(Geo.within(point(10, 5), donut)).as("on the outer boundary").isTrue();
    assertThat(Geo.within(point(11, 5), donut)).isFalse();
    assertThat(Geo.distanceMeters(donut, 2, 2)).isZero();
    assertThat(Geo.distanceMeters(donut, 5, 5)).as("from the hole to its edge").isGreaterThan(100_000);
  }

  @Test
  void concaveShapesAndLinesFollowTheirEdgesNotTheirBoxes() throws Exception {
    Geo.Shape u = shape("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[9,0],[9,9],[6,9],[6,3],[3,3],[3,9],[0,9],"
        + "[0,0]]]}");
    assertThat(Geo.within(point(4.5, 6), u)).as("inside the notch of the U").isFalse();
    Geo.Shape acrossNotch = shape("{\"type\":\"LineString\",\"coordinates\":[[1,6],[8,6]]}");
    assertThat(Geo.intersects(acrossNotch, u)).isTrue();
    assertThat(Geo.within(acrossNotch, u)).as("leaves the U in the notch").isFalse();
    Geo.Shape inNotch = shape("{\"type\":\"LineString\",\"coordinates\":[[4,5],[5,8]]}");
    assertThat(Geo.intersects(inNotch, u)).isFalse();
    Geo.Shape touching = shape("{\"type\":\"Polygon\",\"coordinates\":[[[9,0],[12,0],[12,3],[9,3],[9,0]]]}");
    assertThat(Geo.intersects(touching, u)).as("shares an edge").isTrue();
    assertThat(Geo.intersectsBox(inNotch, new double[] {3.5, 3.5, 5.5, 8.5})).isTrue();
    assertThat(Geo.intersectsBox(inNotch, new double[] {7, 0, 8, 1})).isFalse();
  }

  @Test
  void distancesAreGeodesic() {
    // People's Square to Lingang (Dishui Lake): about 57 km on the ellipsoid
    assertThat(Geo.geodesic(121.4737, 31.2304, 121.9300, 30.9000)).isCloseTo(56_870, within(1_500.0));
    assertThat(Geo.geodesic(121.5, 31.2, 121.5, 31.2)).isZero();
  }
}
