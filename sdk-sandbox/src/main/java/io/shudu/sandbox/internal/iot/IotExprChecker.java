package io.shudu.sandbox.internal.iot;

import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotExpr.Bin;
import io.shudu.sandbox.internal.iot.IotExpr.Call;
import io.shudu.sandbox.internal.iot.IotExpr.Neg;
import io.shudu.sandbox.internal.iot.IotExpr.Not;
import io.shudu.sandbox.internal.iot.IotExpr.Path;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import java.util.Set;

/**
 * Static checking of parsed expressions against an entity type: every property path must name a property or
 * navigation of the type (sub-properties only of open JSON properties), with the position of the first error.
 */
final class IotExprChecker {
  private IotExprChecker() {}

  /** Checks every path of an expression against the entity type, with positions. */
  static void check(IotExpr e, Kind kind, String option, String src) {
    if (e instanceof Path p) {
      checkPath(p, kind, option);
    } else if (e instanceof Bin b) {
      check(b.left(), kind, option, src);
      check(b.right(), kind, option, src);
    } else if (e instanceof Not n) {
      check(n.e(), kind, option, src);
    } else if (e instanceof Neg n) {
      check(n.e(), kind, option, src);
    } else if (e instanceof Call c) {
      c.args().forEach(a -> check(a, kind, option, src));
    }
  }

  static final Set<String> OPEN_PROPS = Set.of("properties", "parameters", "result", "unitOfMeasurement",
      "unitOfMeasurements", "location", "feature", "resultQuality", "metadata", "observedArea",
      "multiObservationDataTypes");

  private static void checkPath(Path p, Kind kind, String option) {
    Kind k = kind;
    for (int idx = 0; idx < p.segs().size(); idx++) {
      String s = p.segs().get(idx);
      if ((s.equals("id") || s.equals("@iot.id")) && idx == p.segs().size() - 1) {
        return;
      }
      if (k.prop(s) != null) {
        if (idx < p.segs().size() - 1 && !OPEN_PROPS.contains(s)) {
          throw pathError(p, option, "'" + s + "' of " + k.singular + " has no sub-properties");
        }
        return;
      }
      Nav n = k.nav(s);
      if (n == null) {
        throw pathError(p, option, k.singular + " has no property or navigation '" + s + "' (properties: "
            + IotQuery.propNames(k) + "; navigation: " + k.navs.keySet() + ")");
      }
      k = n.target;
      if (idx == p.segs().size() - 1) {
        throw pathError(p, option, "'" + s + "' is a navigation property; name one of its properties, such as "
            + s + "/id");
      }
    }
  }

  private static Problem pathError(Path p, String option, String what) {
    return Problem.validation(option, "Invalid " + option + " at position " + p.pos() + ": " + what + ".")
        .with("parameter", option).with("position", p.pos());
  }
}
