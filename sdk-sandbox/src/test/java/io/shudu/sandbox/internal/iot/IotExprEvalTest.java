package io.shudu.sandbox.internal.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotExpr.Time;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link IotExprEval} on its own: operators, functions, paths through relations, errors and ordering. */
class IotExprEvalTest {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private final IotStore store = new IotStore();

  private Ent thing(String name, String feed) {
    ObjectNode p = NF.objectNode().put("name", name).put("description", "d");
    p.putObject("properties").put("feed", feed);
    return store.add(Kind.THING, p);
  }

  private Ent observation(Ent datastream, Object result, String time) {
    ObjectNode p = NF.objectNode().put("phenomenonTime", time);
    if (result instanceof Long l) {
      p.put("result", l);
    } else {
      p.put("result", String.valueOf(result));
    }
    Ent o = store.add(Kind.OBSERVATION, p);
    store.link(o, Kind.OBSERVATION.nav("Datastream"), datastream);
    return o;
  }

  private Ent datastream(Ent thing) {
    Ent ds = store.add(Kind.DATASTREAM, NF.objectNode().put("name", "ds-of-" + thing.get("name").asText()));
    store.link(ds, Kind.DATASTREAM.nav("Thing"), thing);
    return ds;
  }

  private static IotExpr parse(String src) {
    return new IotExprParser(src, "$filter", new IotQuery.Budget()).parseAll();
  }

  private boolean matches(String filter, Ent e) {
    return IotExprEval.matches(parse(filter), e, store);
  }

  @Test
  void comparisonsLogicAndStringFunctions() {
    Ent bay = thing("Smart bay buoy", "smart-bay");
    assertThat(matches("name eq 'Smart bay buoy'", bay)).isTrue();
    assertThat(matches("substringof('bay', name) and not startswith(name, 'X')", bay)).isTrue();
    assertThat(matches("length(name) eq 14 or name eq 'x'", bay)).isTrue();
    assertThat(matches("tolower(name) eq 'smart bay buoy'", bay)).isTrue();
    assertThat(matches("properties/feed eq 'traffic'", bay)).isFalse();
    assertThat(matches("concat(properties/feed, '!') eq 'smart-bay!'", bay)).isTrue();
  }

  @Test
  void arithmeticPathsThroughRelationsAndTimes() {
    Ent t = thing("gauge", "water-quality");
    Ent ds = datastream(t);
    Ent o = observation(ds, 40L, "2026-05-01T08:00:00Z");
    assertThat(matches("result add 2 eq 42 and result mod 7 eq 5", o)).isTrue();
    assertThat(matches("Datastream/Thing/name eq 'gauge'", o)).isTrue();
    assertThat(matches("Datastream/Thing/properties/feed eq 'traffic'", o)).isFalse();
    assertThat(matches("phenomenonTime gt 2026-05-01T07:00:00Z", o)).isTrue();
    assertThat(matches("year(phenomenonTime) eq 2026 and hour(phenomenonTime) eq 8", o)).isTrue();
    // a to-many path holds if any value matches
    observation(ds, 7L, "2026-05-01T09:00:00Z");
    assertThat(matches("Datastreams/Observations/result eq 7", t)).isTrue();
    assertThat(matches("Datastreams/Observations/result eq 8", t)).isFalse();
  }

  @Test
  void valuesThatCannotBeComputedAreA400NamingTheProblem() {
    Ent o = observation(datastream(thing("t", "f")), 1L, "2026-05-01T08:00:00Z");
    Problem overflow = catchThrowableOfType(Problem.class, () -> matches("result add 9223372036854775807 gt 0", o));
    assertThat(overflow.status()).isEqualTo(400);
    assertThat(overflow.getMessage()).contains("overflow");
    assertThat(catchThrowableOfType(IotExprEval.EvalError.class, () -> IotExprEval.eval(
        parse("result add 9223372036854775807"), o, store))).isNotNull();
  }

  @Test
  void temporalRelationsCompareInstantsAndIntervals() {
    OffsetDateTime eight = OffsetDateTime.parse("2026-05-01T08:00:00Z");
    Time morning = new Time(eight, eight.plusHours(4));
    Time atNine = new Time(eight.plusHours(1), eight.plusHours(1));
    Time evening = new Time(eight.plusHours(10), eight.plusHours(12));
    assertThat(IotExprEval.temporal("during", atNine, morning)).isTrue();
    assertThat(IotExprEval.temporal("before", morning, evening)).isTrue();
    assertThat(IotExprEval.temporal("after", morning, evening)).isFalse();
    assertThat(IotExprEval.temporal("overlaps", morning, evening)).isFalse();
  }

  @Test
  void compareAndTextFollowODataTyping() {
    assertThat(IotExprEval.compare(1L, 2.5)).isNegative();
    assertThat(IotExprEval.compare("b", "a")).isPositive();
    assertThat(IotExprEval.compare(true, 1L)).isNull();
    assertThat(IotExprEval.text(12L)).isEqualTo("12");
    assertThat(IotExprEval.jsonValue(NF.numberNode(3))).isEqualTo(3L);
  }

  @Test
  void theComparatorOrdersByTheItemsThenById() {
    List<Ent> things = new ArrayList<>(List.of(thing("b", "f"), thing("a", "f"), thing("b", "e"), thing("c", "f")));
    IotQuery q = IotQuery.parse(Map.of("$orderby", "name desc,properties/feed"), Kind.THING);
    things.sort(IotExprEval.comparator(q.orderBy, store));
    assertThat(things).extracting(e -> e.get("name").asText() + "/" + e.get("properties").get("feed").asText())
        .containsExactly("c/f", "b/e", "b/f", "a/f");
  }
}
