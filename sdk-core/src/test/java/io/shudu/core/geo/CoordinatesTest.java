package io.shudu.core.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Measures the coordinate helpers' round-trip errors and checks geodesic distances against known values. */
class CoordinatesTest {
  /** A grid over the five new towns and central Shanghai. */
  static List<Position> shanghai() {
    List<Position> out = new java.util.ArrayList<>();
    for (double lon = 120.85; lon <= 122.0; lon += 0.01) {
      for (double lat = 30.65; lat <= 31.55; lat += 0.01) {
        out.add(Position.of(lon, lat));
      }
    }
    return out;
  }

  @Test
  void gcj02RoundTripErrorIsMeasuredAndBelowAMillimetre() {
    double worst = 0;
    double offsetMin = Double.MAX_VALUE;
    double offsetMax = 0;
    for (Position p : shanghai()) {
      Position g = Coordinates.wgs84ToGcj02(p);
      double offset = Coordinates.distanceMeters(p, g);
      offsetMin = Math.min(offsetMin, offset);
      offsetMax = Math.max(offsetMax, offset);
      worst = Math.max(worst, Coordinates.distanceMeters(p, Coordinates.gcj02ToWgs84(g)));
    }
    System.out.printf("GCJ-02 round trip: worst %.3e m; forward offset %.1f-%.1f m%n", worst, offsetMin, offsetMax);
    assertThat(worst).isLessThan(0.001);
    assertThat(offsetMin).isGreaterThan(100);
    assertThat(offsetMax).isLessThan(1000);
  }

  @Test
  void bd09RoundTripErrorIsMeasuredAndBelowAMillimetre() {
    double worst = 0;
    for (Position p : shanghai()) {
      worst = Math.max(worst, Coordinates.distanceMeters(p, Coordinates.bd09ToWgs84(Coordinates.wgs84ToBd09(p))));
    }
    System.out.printf("BD-09 round trip: worst %.3e m%n", worst);
    assertThat(worst).isLessThan(0.001);
  }

  @Test
  void knownOffsetsAndOutsideChina() {
    // BD-09 sits about 0.0065/0.006 degrees off GCJ-02 in Shanghai
    Position gcj = Position.of(121.4737, 31.2304);
    Position bd = Coordinates.gcj02ToBd09(gcj);
    assertThat(bd.lon() - gcj.lon()).isBetween(0.005, 0.008);
    assertThat(bd.lat() - gcj.lat()).isBetween(0.004, 0.008);
    Position paris = Position.of(2.3522, 48.8566);
    assertThat(Coordinates.wgs84ToGcj02(paris)).isEqualTo(paris);
    assertThat(Coordinates.cgcs2000ToWgs84(gcj)).isEqualTo(gcj);
  }

  @Test
  void geodesicDistancesMatchReferenceValues() {
    // one degree of latitude at the equator and one degree of longitude at 31N, WGS-84 (reference values)
    assertThat(Coordinates.distanceMeters(Position.of(0, 0), Position.of(0, 1))).isCloseTo(110574.389, within(0.01));
    assertThat(Coordinates.distanceMeters(Position.of(121, 31), Position.of(122, 31))).isCloseTo(95506.0, within(150.0));
    // Flinders Peak to Buninyong, Vincenty's classic test: 54972.271 m
    assertThat(Coordinates.distanceMeters(Position.of(144.42486788888888, -37.95103341666667),
        Position.of(143.92649552777777, -37.65282113888889))).isCloseTo(54972.271, within(0.01));
    assertThat(Coordinates.lengthMeters(new Geometry.LineString(List.of(Position.of(0, 0), Position.of(0, 1),
        Position.of(0, 2))))).isCloseTo(2 * 110574.389, within(300.0));
  }
}
