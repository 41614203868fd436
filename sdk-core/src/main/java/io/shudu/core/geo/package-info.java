/**
 * The one geometry model of the Shudu SDK, shared by the twin and IoT clients and the sandbox: {@link
 * io.shudu.core.geo.Position positions} (longitude, latitude in degrees, GeoJSON order), {@link
 * io.shudu.core.geo.Geometry geometries} as records (Point, LineString, Polygon, their Multi* forms and
 * GeometryCollection) read and written as GeoJSON (RFC 7946) and WKT, geodesic distances on the WGS-84 ellipsoid
 * ({@link io.shudu.core.geo.Coordinates#distanceMeters}) and the coordinate conversions Chinese map data needs ({@link
 * io.shudu.core.geo.Coordinates}: WGS-84, GCJ-02, BD-09, CGCS2000).
 *
 * <pre>{@code
 * Geometry.Polygon block = Geometry.box(121.90, 30.88, 121.95, 30.92);
 * String json = block.toGeoJson();              // {"type":"Polygon","coordinates":[[[121.9,30.88],...]]}
 * Geometry back = Geometry.fromGeoJson(json);   // equal to block
 * double m = Coordinates.distanceMeters(Position.of(121.4737, 31.2304), Position.of(121.9300, 30.9000));
 * }</pre>
 */
package io.shudu.core.geo;
