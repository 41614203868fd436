package io.shudu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.iot.Expr;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Thing;
import io.shudu.sandbox.Sandbox;
import io.shudu.core.geo.Coordinates;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The twin's sensors and the IoT feeds describe the same devices: same code, same place, same datastreams. */
class TwinIotLinkTest {
  @Test
  void everyTwinSensorOfTheFeedsLeadsToItsIotThingAndDatastreams() {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        TwinClient twin = TwinClient.create(sandbox.clientConfig());
        IotClient iot = IotClient.create(sandbox.clientConfig())) {
      List<Entity> sensors = new ArrayList<>();
      twin.entities().query(TwinQuery.builder().types(EntityType.SENSOR).bbox(120.8, 31.0, 121.5, 31.5).build())
          .forEach(sensors::add);
      assertThat(sensors).hasSize(19);
      for (Entity s : sensors) {
        String code = s.text("iotThingId");
        List<Thing> things = iot.things().list(IotQuery.builder()
            .filter(Expr.property("properties/code").eq(code)).expand("Locations").expand("Datastreams").build())
            .stream().toList();
        assertThat(things).as("IoT Thing with code " + code).hasSize(1);
        Thing t = things.get(0);
        Geometry.Point p = (Geometry.Point) t.locations().get(0).location();
        Position twinAt = ((Geometry.Point) s.geometry()).coordinates();
        Position iotAt = p.coordinates();
        assertThat(Coordinates.distanceMeters(twinAt, iotAt)).as(code + " position").isLessThan(1.0);
        assertThat(t.datastreams()).extracting(Datastream::name)
            .containsExactlyInAnyOrderElementsOf(s.property("datastreamIds").orElseThrow().asStringList());
      }
    }
  }
}
