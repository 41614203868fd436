package io.shudu.core.geo;

/**
 * Coordinate helpers for partners' map SDKs: WGS-84 (GPS, the twin's default) to and from GCJ-02 (the
 * "Mars" offset used by AMap/Gaode and Tencent maps) and BD-09 (Baidu maps), and geodesic distances on the WGS-84
 * ellipsoid.
 *
 * <p><b>Approximate.</b> GCJ-02 is a published obfuscation formula without an exact inverse: the inverse here iterates
 * to about 1e-9 degrees. Measured round-trip error (WGS-84 to GCJ-02 and back; WGS-84 to BD-09 and back) over the
 * five new towns is below 1 millimetre (CoordinatesTest measures it over a 0.01-degree grid of Shanghai and prints the
 * worst case; see docs/guide-twin.md for the figures); the forward offsets themselves are a few hundred metres. Outside China the offsets are not applied. CGCS2000 (EPSG:4490)
 * coordinates are used as WGS-84 (they differ by centimetres).
 *
 * <pre>{@code
 * Position gps = Position.of(121.9040, 30.9230);
 * Position amap = Coordinates.wgs84ToGcj02(gps);
 * Position baidu = Coordinates.wgs84ToBd09(gps);
 * double m = Coordinates.distanceMeters(gps, Position.of(121.9296, 30.9010));
 * }</pre>
 */
public final class Coordinates {
  private static final double KRASOVSKY_A = 6378245.0;
  private static final double KRASOVSKY_EE = 0.00669342162296594323;
  private static final double X_PI = Math.PI * 3000.0 / 180.0;
  private static final double WGS_A = 6378137.0;
  private static final double WGS_F = 1 / 298.257223563;
  private static final double WGS_B = WGS_A * (1 - WGS_F);

  private Coordinates() {}

  /**
   * Whether GCJ-02 offsets apply (a rough box around China).
   *
   * @param p position
   * @return true inside the box
   */
  public static boolean inChina(Position p) {
    return p.lon() >= 72.004 && p.lon() <= 137.8347 && p.lat() >= 0.8293 && p.lat() <= 55.8271;
  }

  /**
   * WGS-84 to GCJ-02.
   *
   * @param wgs WGS-84 position
   * @return GCJ-02 position
   */
  public static Position wgs84ToGcj02(Position wgs) {
    if (!inChina(wgs)) {
      return wgs;
    }
    double[] d = delta(wgs.lon(), wgs.lat());
    return new Position(wgs.lon() + d[0], wgs.lat() + d[1]);
  }

  /**
   * GCJ-02 to WGS-84 (iterative inverse, about 1e-9 degrees).
   *
   * @param gcj GCJ-02 position
   * @return WGS-84 position
   */
  public static Position gcj02ToWgs84(Position gcj) {
    if (!inChina(gcj)) {
      return gcj;
    }
    double lon = gcj.lon();
    double lat = gcj.lat();
    for (int i = 0; i < 30; i++) {
      double[] d = delta(lon, lat);
      double dLon = gcj.lon() - (lon + d[0]);
      double dLat = gcj.lat() - (lat + d[1]);
      lon += dLon;
      lat += dLat;
      if (Math.abs(dLon) < 1e-11 && Math.abs(dLat) < 1e-11) {
        break;
      }
    }
    return new Position(lon, lat);
  }

  /**
   * GCJ-02 to BD-09.
   *
   * @param gcj GCJ-02 position
   * @return BD-09 position
   */
  public static Position gcj02ToBd09(Position gcj) {
    double x = gcj.lon();
    double y = gcj.lat();
    double z = Math.sqrt(x * x + y * y) + 0.00002 * Math.sin(y * X_PI);
    double theta = Math.atan2(y, x) + 0.000003 * Math.cos(x * X_PI);
    return new Position(z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006);
  }

  /**
   * BD-09 to GCJ-02. The usual closed-form inverse is off by up to about 0.13 m; this refines it iteratively so that
   * converting back gives the input to well below a millimetre.
   *
   * @param bd BD-09 position
   * @return GCJ-02 position
   */
  public static Position bd09ToGcj02(Position bd) {
    double x = bd.lon() - 0.0065;
    double y = bd.lat() - 0.006;
    double z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
    double theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
    double lon = z * Math.cos(theta);
    double lat = z * Math.sin(theta);
    for (int i = 0; i < 10; i++) {
      Position back = gcj02ToBd09(new Position(lon, lat));
      double dLon = bd.lon() - back.lon();
      double dLat = bd.lat() - back.lat();
      lon += dLon;
      lat += dLat;
      if (Math.abs(dLon) < 1e-11 && Math.abs(dLat) < 1e-11) {
        break;
      }
    }
    return new Position(lon, lat);
  }

  /**
   * WGS-84 to BD-09.
   *
   * @param wgs WGS-84 position
   * @return BD-09 position
   */
  public static Position wgs84ToBd09(Position wgs) {
    return gcj02ToBd09(wgs84ToGcj02(wgs));
  }

  /**
   * BD-09 to WGS-84.
   *
   * @param bd BD-09 position
   * @return WGS-84 position
   */
  public static Position bd09ToWgs84(Position bd) {
    return gcj02ToWgs84(bd09ToGcj02(bd));
  }

  /**
   * CGCS2000 to WGS-84: identity within the twin's precision (the frames differ by a few centimetres).
   *
   * @param cgcs CGCS2000 position
   * @return the same position as WGS-84
   */
  public static Position cgcs2000ToWgs84(Position cgcs) {
    return cgcs;
  }

  private static double[] delta(double lon, double lat) {
    double x = lon - 105.0;
    double y = lat - 35.0;
    double dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
        + (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0
        + (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
        + (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    double dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
        + (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0
        + (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
        + (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    double radLat = lat / 180.0 * Math.PI;
    double magic = Math.sin(radLat);
    magic = 1 - KRASOVSKY_EE * magic * magic;
    double sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic) * Math.PI);
    dLon = (dLon * 180.0) / (KRASOVSKY_A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return new double[] {dLon, dLat};
  }

  /**
   * Geodesic distance on the WGS-84 ellipsoid (Vincenty's inverse formula; sub-millimetre for city distances).
   *
   * @param a one position
   * @param b the other
   * @return metres
   */
  public static double distanceMeters(Position a, Position b) {
    double lon1 = a.lon();
    double lat1 = a.lat();
    double lon2 = b.lon();
    double lat2 = b.lat();
    if (lon1 == lon2 && lat1 == lat2) {
      return 0;
    }
    double l = Math.toRadians(lon2 - lon1);
    double u1 = Math.atan((1 - WGS_F) * Math.tan(Math.toRadians(lat1)));
    double u2 = Math.atan((1 - WGS_F) * Math.tan(Math.toRadians(lat2)));
    double sinU1 = Math.sin(u1);
    double cosU1 = Math.cos(u1);
    double sinU2 = Math.sin(u2);
    double cosU2 = Math.cos(u2);
    double lambda = l;
    for (int iter = 0; iter < 200; iter++) {
      double sinL = Math.sin(lambda);
      double cosL = Math.cos(lambda);
      double sinSigma = Math.hypot(cosU2 * sinL, cosU1 * sinU2 - sinU1 * cosU2 * cosL);
      if (sinSigma == 0) {
        return 0;
      }
      double cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      double sigma = Math.atan2(sinSigma, cosSigma);
      double sinAlpha = cosU1 * cosU2 * sinL / sinSigma;
      double cos2Alpha = 1 - sinAlpha * sinAlpha;
      double cos2SigmaM = cos2Alpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cos2Alpha;
      double c = WGS_F / 16 * cos2Alpha * (4 + WGS_F * (4 - 3 * cos2Alpha));
      double prev = lambda;
      lambda = l + (1 - c) * WGS_F * sinAlpha
          * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
      if (Math.abs(lambda - prev) < 1e-12) {
        double uSq = cos2Alpha * (WGS_A * WGS_A - WGS_B * WGS_B) / (WGS_B * WGS_B);
        double bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
        double bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
        double deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
            - bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
        return WGS_B * bigA * (sigma - deltaSigma);
      }
    }
    // nearly antipodal points: fall back to the mean-radius great circle
    double dLat = Math.toRadians(lat2 - lat1);
    double h = Math.pow(Math.sin(dLat / 2), 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(l / 2), 2);
    return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
  }

  /**
   * Geodesic length of a line.
   *
   * @param line the line
   * @return metres
   */
  public static double lengthMeters(Geometry.LineString line) {
    double sum = 0;
    for (int i = 1; i < line.coordinates().size(); i++) {
      sum += distanceMeters(line.coordinates().get(i - 1), line.coordinates().get(i));
    }
    return sum;
  }
}
