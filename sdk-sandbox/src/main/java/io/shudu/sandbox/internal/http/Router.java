package io.shudu.sandbox.internal.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps method and path to handlers. Patterns use {@code {name}} segments ({@code /twin/v1/entities/{id}});
 * a prefix route ({@link #prefix}) takes every path below it, for services with their own URL grammar
 * (SensorThings' {@code Things(1)/Datastreams}). Routes marked anonymous skip authentication.
 */
public final class Router {
  /** A matched route. */
  public record Match(Handler handler, Map<String, String> params, boolean anonymous) {}

  private record Route(String method, String[] segments, String prefix, Handler handler, boolean anonymous) {}

  private final List<Route> routes = new ArrayList<>();

  /** Registers an authenticated route. */
  public Router route(String method, String pattern, Handler handler) {
    routes.add(new Route(method, split(pattern), null, handler, false));
    return this;
  }

  /** Registers a route that needs no credentials (health, token endpoint). */
  public Router anonymous(String method, String pattern, Handler handler) {
    routes.add(new Route(method, split(pattern), null, handler, true));
    return this;
  }

  /** Registers a handler for every method and every path starting with {@code prefix}. */
  public Router prefix(String prefix, Handler handler) {
    routes.add(new Route("*", null, prefix, handler, false));
    return this;
  }

  /**
   * Finds the route for a request.
   *
   * @throws Problem 404 when no path matches, 405 (with the allowed methods) when only the method is wrong
   */
  public Match match(String method, String path) {
    String[] parts = split(path);
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      if (r.prefix != null) {
        if (path.startsWith(r.prefix) || (path + "/").equals(r.prefix)) {
          return new Match(r.handler, Map.of(), r.anonymous);
        }
        continue;
      }
      Map<String, String> params = matchSegments(r.segments, parts);
      if (params == null) {
        continue;
      }
      if (r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"))) {
        return new Match(r.handler, params, r.anonymous);
      }
      allowed.add(r.method);
    }
    if (!allowed.isEmpty()) {
      throw Problem.methodNotAllowed("Method " + method + " is not allowed on " + path + "; use one of "
          + String.join(", ", allowed) + ".").header("Allow", String.join(", ", allowed));
    }
    throw Problem.notFound("No endpoint at " + path + ". Check the path (and its /v1 version segment); "
        + "docs/api/ lists every endpoint the sandbox serves.");
  }

  private static Map<String, String> matchSegments(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
