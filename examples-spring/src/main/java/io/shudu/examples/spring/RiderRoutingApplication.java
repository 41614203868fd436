package io.shudu.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A delivery platform's rider-routing service on Spring Boot: it listens to the Jiading smart-traffic feed for road
 * closures ({@link RoadClosures}, written to its database with the feed checkpoint in the same transaction), and
 * answers {@code GET /route?from=jd-j12&to=jd-j08} with the shortest open route over the city twin's road network
 * ({@link RouteController}). Health on {@code /actuator/health} (with the Shudu platform's), metrics on
 * {@code /actuator/metrics}.
 *
 * <p>Run it against a platform with {@code SHUDU_ENDPOINT} and {@code SHUDU_API_KEY} set; its tests run it on the
 * in-process sandbox.
 */
@SpringBootApplication
public class RiderRoutingApplication {
  /**
   * Starts the service.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(RiderRoutingApplication.class, args);
  }
}
