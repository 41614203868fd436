package io.shudu.sandbox.internal.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import org.junit.jupiter.api.Test;

/** {@link IotExprChecker} on its own: paths are checked against the entity type, with positions. */
class IotExprCheckerTest {
  private static IotExpr parse(String src) {
    return new IotExprParser(src, "$filter", new IotQuery.Budget()).parseAll();
  }

  private static void check(String src, Kind kind) {
    IotExprChecker.check(parse(src), kind, "$filter", src);
  }

  @Test
  void propertiesNavigationsAndOpenPropertiesPass() {
    assertThatCode(() -> check("name eq 'x' and Datastreams/Observations/result gt 1", Kind.THING))
        .doesNotThrowAnyException();
    assertThatCode(() -> check("properties/feed eq 'traffic' and id gt 2", Kind.THING)).doesNotThrowAnyException();
    assertThatCode(() -> check("Datastream/Thing/properties/code eq 'x'", Kind.OBSERVATION))
        .doesNotThrowAnyException();
    assertThatCode(() -> check("length(name) gt 2", Kind.SENSOR)).doesNotThrowAnyException();
  }

  @Test
  void unknownNamesAreRefusedWithTheirPosition() {
    Problem p = catchThrowableOfType(Problem.class, () -> check("name eq 'x' and colour eq 'red'", Kind.THING));
    assertThat(p.status()).isEqualTo(400);
    assertThat(p.extensions()).containsEntry("position", 16).containsEntry("parameter", "$filter");
    assertThat(p.getMessage()).contains("colour").contains("Thing");
  }

  @Test
  void aNavigationNeedsOneOfItsPropertiesAndPlainPropertiesHaveNoSubProperties() {
    assertThat(catchThrowableOfType(Problem.class, () -> check("Datastream eq 1", Kind.OBSERVATION)).getMessage())
        .contains("navigation property");
    assertThat(catchThrowableOfType(Problem.class, () -> check("name/first eq 'x'", Kind.THING)).getMessage())
        .contains("no sub-properties");
    assertThat(catchThrowableOfType(Problem.class, () -> check("not (Gadget/name eq 'x')", Kind.THING)))
        .isNotNull();
  }
}
