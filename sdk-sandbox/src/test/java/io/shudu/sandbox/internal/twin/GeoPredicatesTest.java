package io.shudu.sandbox.internal.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.http.Problem;
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

  @Test
  void aGeometryCollectionIsMatchedByItsMembersNotItsBox() throws Exception {
    // a point at (0,0) and a square at (10..12, 10..12): their box covers (5,5), the collection does not
    Geo.Shape gc = shape("{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":"
        + "[0,0]},{\"type\":\"Polygon\",\"coordinates\":[[[10,10],[12,10],[12,12],[10,12],[10,10]]]}]}");
    assertThat(new double[] {gc.minLon, gc.minLat, gc.maxLon, gc.maxLat}).containsExactly(0, 0, 12, 12);
    assertThat(gc.hasArea()).isTrue();
    assertThat(Geo.intersectsBox(gc, new double[] {4, 4, 6, 6})).as("the gap between the members").isFalse();
    assertThat(Geo.intersectsBox(gc, new double[] {10.5, 10.5, 11, 11})).as("inside the square").isTrue();
    assertThat(Geo.intersectsBox(gc, new double[] {-1, -1, 1, 1})).as("around the point").isTrue();
    assertThat(Geo.intersects(shape("{\"type\":\"LineString\",\"coordinates\":[[5,0],[5,12]]}"), gc)).isFalse();
    assertThat(Geo.intersects(shape("{\"type\":\"LineString\",\"coordinates\":[[11,0],[11,20]]}"), gc)).isTrue();
    Geo.Shape both = shape("{\"type\":\"Polygon\",\"coordinates\":[[[-1,-1],[13,-1],[13,13],[-1,13],[-1,-1]]]}");
    assertThat(Geo.within(gc, both)).isTrue();
    Geo.Shape squareOnly = shape("{\"type\":\"Polygon\",\"coordinates\":[[[9,9],[13,9],[13,13],[9,13],[9,9]]]}");
    assertThat(Geo.within(gc, squareOnly)).as("the point is outside").isFalse();
    assertThat(Geo.within(point(11, 11), gc)).as("the collection's square is an area").isTrue();
    assertThat(Geo.distanceMeters(gc, 11, 11)).isZero();
    assertThat(Geo.distanceMeters(gc, 0, 0.001)).isCloseTo(110.6, within(1.0));
    assertThat(Geo.distanceMeters(gc, 12.001, 11)).as("to the square's edge").isCloseTo(109.4, within(1.5));
  }

  @Test
  void badGeometriesNameTheFieldAndTheFault() {
    String[][] cases = {
        {"{\"type\":\"Point\",\"coordinates\":[30.9,121.9]}", "geometry.coordinates: lat must be a latitude in "
            + "[-90, 90]"},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,0],[0,1],[0.5,0.5]]]}",
            "geometry.coordinates[1]: each Polygon ring must be closed: its last position must equal its first"},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
            "geometry.coordinates[0]: each Polygon ring must be a closed linear ring of at least 4 positions"},
        {"{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1,1]],[[0,0]]]}",
            "geometry.coordinates[1]: LineString.coordinates must hold at least 2 positions, got 1"},
        {"{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,\"x\"]]}",
            "geometry.coordinates[1]: a GeoJSON position is [lon, lat] (numbers)"},
        {"{\"type\":\"Circle\",\"coordinates\":[0,0]}", "geometry.type: unknown GeoJSON geometry type 'Circle'"},
        {"{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[0,91]}]}",
            "geometry.geometries[0].coordinates: lat must be"},
        {"{\"type\":\"GeometryCollection\",\"geometries\":[]}", "geometry has no coordinates"},
        {"[1,2]", "geometry: a GeoJSON geometry must be an object"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> shape(c[0])).as(c[0]).isInstanceOf(Problem.class).hasMessageContaining(c[1])
          .satisfies(e -> assertThat(((Problem) e).extensions().get("errors"))
              .isEqualTo(java.util.List.of(java.util.Map.of("field", "geometry", "message", e.getMessage()))));
    }
  }

  @Test
  void selfIntersectingPolygonsAreEvaluatedWithoutFailing() throws Exception {
    // a bow tie: valid GeoJSON structure, invalid simple-features polygon; predicates answer, never throw
    Geo.Shape bowTie = shape("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}");
    Geo.Shape area = shape("{\"type\":\"Polygon\",\"coordinates\":[[[-1,-1],[3,-1],[3,3],[-1,3],[-1,-1]]]}");
    assertThat(Geo.within(bowTie, area)).isTrue();
    assertThat(Geo.intersects(bowTie, area)).isTrue();
    assertThat(Geo.intersectsBox(bowTie, new double[] {0.9, 0.5, 1.1, 0.6})).isFalse();
    assertThat(Geo.within(point(1, 1.5), bowTie)).isFalse();
    assertThat(Geo.distanceMeters(bowTie, 5, 5)).isGreaterThan(0);
    assertThat(Geo.distanceMeters(bowTie, 0.2, 1)).isZero();
  }
}
