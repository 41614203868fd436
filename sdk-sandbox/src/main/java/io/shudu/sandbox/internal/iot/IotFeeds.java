package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge from SensorThings to the live feeds: new Observations (from clients and simulators) are published to
 * the tenant's own feed named by their Datastream's (or Thing's) {@code properties.feed}, within the tenant's feed
 * limit.
 */
final class IotFeeds {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox.iot");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final AtomicBoolean feedWarning = new AtomicBoolean();
  private final IotService svc;
  private final IotStore store;
  private final SandboxContext context;
  private final String tenant;

  IotFeeds(IotService svc) {
    this.svc = svc;
    this.store = svc.store();
    this.context = svc.context();
    this.tenant = svc.tenant();
  }

  /** Creates one observation (simulators). Callers hold no lock. */
  Ent addObservation(long datastreamId, String phenomenonTime, JsonNode result) {
    synchronized (store) {
      Ent ds = store.get(Kind.DATASTREAM, datastreamId);
      if (ds == null) {
        return null;
      }
      ObjectNode o = NODES.objectNode();
      o.put("phenomenonTime", phenomenonTime);
      o.put("resultTime", phenomenonTime);
      o.set("result", result);
      o.set("Datastream", NODES.objectNode().put("@iot.id", datastreamId));
      List<Ent> created = new ArrayList<>();
      Ent e;
      try {
        // a simulator never stops at the limit: it forgets the tenant's oldest observations instead
        while (store.total() + 2 > context.limits().maxIotEntitiesPerTenant()
            && !store.table(Kind.OBSERVATION).isEmpty()) {
          store.delete(store.table(Kind.OBSERVATION).firstEntry().getValue());
        }
        e = svc.inserts.build(Kind.OBSERVATION, o, null, null, created);
        publish(created);
      } catch (Problem p) {
        return null;
      }
      return e;
    }
  }

  /** The feed a datastream's observations go to: its own or its Thing's {@code properties.feed}. */
  String feedOf(Ent stream) {
    JsonNode f = stream.get("properties") == null ? null : stream.get("properties").get("feed");
    if (f == null) {
      Ent thing = store.get(Kind.THING, stream.one("Thing"));
      f = thing == null || thing.get("properties") == null ? null : thing.get("properties").get("feed");
    }
    return f != null && f.isTextual() ? f.asText() : IotService.DEFAULT_FEED;
  }

  /** The observation as feed subscribers receive it. */
  static ObjectNode feedPayload(Ent e) {
    ObjectNode o = NODES.objectNode();
    o.put("@iot.id", e.id);
    for (String p : List.of("phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters")) {
      JsonNode v = e.get(p);
      if (v != null) {
        o.set(p, v);
      } else if (p.equals("resultTime")) {
        o.putNull(p);
      }
    }
    long ds = e.one("Datastream");
    long mds = e.one("MultiDatastream");
    if (ds != 0) {
      o.set("Datastream", NODES.objectNode().put("@iot.id", ds));
    }
    if (mds != 0) {
      o.set("MultiDatastream", NODES.objectNode().put("@iot.id", mds));
    }
    long foi = e.one("FeatureOfInterest");
    if (foi != 0) {
      o.set("FeatureOfInterest", NODES.objectNode().put("@iot.id", foi));
    }
    return o;
  }

  /**
   * Publishes new observations to their feeds, in creation order. Callers hold the store lock. When a feed they go to
   * would be one more than the tenant may own, the observations are removed again and the write is refused (429,
   * limit {@code maxFeedsPerTenant}).
   */
  void publish(List<Ent> observations) {
    Set<String> feeds = new LinkedHashSet<>();
    for (Ent e : observations) {
      long dsId = e.one("Datastream");
      Ent stream = dsId != 0 ? store.get(Kind.DATASTREAM, dsId)
          : store.get(Kind.MULTI_DATASTREAM, e.one("MultiDatastream"));
      if (stream != null) {
        feeds.add(feedOf(stream));
      }
    }
    try {
      for (String f : feeds) {
        context.feeds().checkRoom(tenant, f);
      }
    } catch (Problem p) {
      observations.forEach(store::delete);
      throw p;
    }
    for (Ent e : observations) {
      long dsId = e.one("Datastream");
      Ent stream = dsId != 0 ? store.get(Kind.DATASTREAM, dsId)
          : store.get(Kind.MULTI_DATASTREAM, e.one("MultiDatastream"));
      if (stream == null) {
        continue;
      }
      try {
        // the tenant's own feed of that name: whatever properties.feed says, never another tenant's feed
        context.feeds().publishOwned(tenant, feedOf(stream), "observation", Long.toString(stream.id),
            feedPayload(e));
      } catch (UnsupportedOperationException ex) {
        if (feedWarning.compareAndSet(false, true)) {
          LOG.warn("sandbox iot: live feeds are not available in this build; observations are stored only");
        }
      } catch (RuntimeException ex) {
        LOG.warn("sandbox iot: publishing observation {} failed: {}", e.id, ex.toString());
      }
    }
  }
}
