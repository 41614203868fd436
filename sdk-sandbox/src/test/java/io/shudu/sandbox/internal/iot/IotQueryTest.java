package io.shudu.sandbox.internal.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link IotQuery}'s options on their own: every option, nested expansion options and their errors. */
class IotQueryTest {
  private static IotQuery parse(Kind kind, String... nameValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i], nameValues[i + 1]);
    }
    return IotQuery.parse(m, kind);
  }

  private static Problem refused(Kind kind, String... nameValues) {
    return catchThrowableOfType(Problem.class, () -> parse(kind, nameValues).validate());
  }

  @Test
  void parsesEveryOption() {
    IotQuery q = parse(Kind.THING, "$filter", "name eq 'x'", "$top", "5", "$skip", "2", "$count", "true",
        "$select", "id,name", "$orderby", "name desc,id", "$expand",
        "Datastreams($top=2;$orderby=name;$expand=Observations($filter=result gt 1)),Locations");
    assertThat(q.filter).isNotNull();
    assertThat(q.top).isEqualTo(5);
    assertThat(q.skip).isEqualTo(2);
    assertThat(q.count).isTrue();
    assertThat(q.select).containsExactly("@iot.id", "name");
    assertThat(q.orderBy).hasSize(2);
    assertThat(q.orderBy.get(0).desc()).isTrue();
    assertThat(q.idOrder()).isFalse();
    assertThat(q.expand).containsOnlyKeys("Datastreams", "Locations");
    IotQuery ds = q.expand.get("Datastreams");
    assertThat(ds.top).isEqualTo(2);
    assertThat(ds.depth).isEqualTo(1);
    assertThat(ds.expand.get("Observations").filter).isNotNull();
    assertThat(parse(Kind.THING).idOrder()).isTrue();
    assertThat(parse(Kind.THING, "$orderby", "id").idOrder()).isTrue();
  }

  @Test
  void badOptionsAreProblemsNamingTheOption() {
    assertThat(refused(Kind.THING, "$top", "10001").extensions()).containsEntry("parameter", "$top");
    assertThat(refused(Kind.THING, "$top", "-1").getMessage()).contains("negative");
    assertThat(refused(Kind.THING, "$count", "yes").extensions()).containsEntry("parameter", "$count");
    assertThat(refused(Kind.THING, "$foo", "1").getMessage()).contains("Unknown query option");
    assertThat(refused(Kind.THING, "$select", "colour").getMessage()).contains("colour");
    assertThat(refused(Kind.THING, "$expand", "Gadgets").getMessage()).contains("Gadgets");
    assertThat(refused(Kind.THING, "$expand", "Datastreams($top)").getMessage()).contains("$name=value");
    assertThat(refused(Kind.THING, "$filter", "id add 1").getMessage()).contains("not a condition");
    assertThat(refused(Kind.THING, "$filter", "colour eq 1").extensions()).containsEntry("parameter", "$filter");
    assertThat(refused(Kind.THING, "$resultFormat", "csv")).isNotNull();
    assertThat(refused(Kind.THING, "$skiptoken", "x")).isNotNull();
    assertThat(refused(Kind.THING, "$orderby", "name,")).isNotNull();
  }

  @Test
  void expansionDepthIsLimited() {
    Problem p = refused(Kind.THING, "$expand", "Datastreams/Thing/Datastreams/Thing/Datastreams/Thing");
    assertThat(p.extensions()).containsEntry("limit", "maxExpandDepth");
    assertThat(parse(Kind.THING, "$expand", "Datastreams/Thing/Datastreams/Thing/Datastreams").expand)
        .containsKey("Datastreams");
  }

  @Test
  void splitTopIgnoresSeparatorsInParenthesesAndQuotes() {
    assertThat(IotQuery.splitTop("a($top=1,x),b,'c,d'", ',')).containsExactly("a($top=1,x)", "b", "'c,d'");
    assertThat(IotQuery.propNames(Kind.SENSOR)).startsWith("id").contains("name", "encodingType");
  }

  @Test
  void theExaminedBudgetIsSharedByEveryLevel() {
    IotQuery q = parse(Kind.THING, "$expand", "Datastreams");
    IotQuery sub = q.expand.get("Datastreams");
    for (long i = 0; i < IotQuery.MAX_ENTITIES_EXAMINED - 1; i++) {
      (i % 2 == 0 ? q : sub).examined();
    }
    sub.examined();
    assertThat(catchThrowableOfType(Problem.class, q::examined).extensions()).containsEntry("limit",
        "maxEntitiesExamined");
  }
}
