package io.shudu.sandbox.internal.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotExpr.Bin;
import io.shudu.sandbox.internal.iot.IotExpr.Call;
import io.shudu.sandbox.internal.iot.IotExpr.Lit;
import io.shudu.sandbox.internal.iot.IotExpr.Neg;
import io.shudu.sandbox.internal.iot.IotExpr.Not;
import io.shudu.sandbox.internal.iot.IotExpr.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link IotExprParser} on its own: precedence, literals, positions in errors, and the request's limits. */
class IotExprParserTest {
  private static IotExpr parse(String src) {
    return new IotExprParser(src, "$filter", new IotQuery.Budget()).parseAll();
  }

  private static Problem refused(String src) {
    return catchThrowableOfType(Problem.class, () -> parse(src));
  }

  @Test
  void andBindsTighterThanOrAndComparisonsTighterThanBoth() {
    IotExpr e = parse("result gt 1 or result lt 0 and not name eq 'x'");
    assertThat(e).isInstanceOf(Bin.class);
    Bin or = (Bin) e;
    assertThat(or.op()).isEqualTo("or");
    assertThat(((Bin) or.left()).op()).isEqualTo("gt");
    Bin and = (Bin) or.right();
    assertThat(and.op()).isEqualTo("and");
    assertThat(and.right()).isInstanceOf(Not.class);
  }

  @Test
  void arithmeticFollowsTheUsualPrecedence() {
    Bin e = (Bin) parse("result add 2 mul 3 eq 7");
    assertThat(e.op()).isEqualTo("eq");
    Bin add = (Bin) e.left();
    assertThat(add.op()).isEqualTo("add");
    assertThat(((Bin) add.right()).op()).isEqualTo("mul");
    assertThat(parse("-result lt 0")).isInstanceOfSatisfying(Bin.class, b -> assertThat(b.left())
        .isInstanceOf(Neg.class));
  }

  @Test
  void pathsLiteralsAndCallsKeepTheirParts() {
    Bin e = (Bin) parse("Datastream/Thing/name eq 'it''s'");
    assertThat(((Path) e.left()).segs()).containsExactly("Datastream", "Thing", "name");
    assertThat(((Lit) e.right()).value()).isEqualTo("it's");
    Call c = (Call) parse("substringof('bay', name)");
    assertThat(c.fn()).isEqualTo("substringof");
    assertThat(c.args()).hasSize(2);
    assertThat(((Lit) ((Bin) parse("result eq true")).right()).value()).isEqualTo(true);
    assertThat(((Lit) ((Bin) parse("result eq 12")).right()).value()).isEqualTo(12L);
    assertThat(((Lit) ((Bin) parse("result eq 1.5")).right()).value()).isInstanceOf(Number.class);
  }

  @Test
  void errorsNameTheOptionAndThePosition() {
    Problem p = refused("name eq 'unclosed");
    assertThat(p.status()).isEqualTo(400);
    assertThat(p.extensions()).containsEntry("parameter", "$filter").containsKey("position");
    Problem unknown = refused("nosuchfn(name) eq 1");
    assertThat(unknown.getMessage()).contains("nosuchfn");
    Problem arity = refused("length(name, name) eq 1");
    assertThat(arity.getMessage()).contains("length");
    assertThat(refused("result eq")).isNotNull();
    assertThat(refused("")).isNotNull();
    assertThat(refused("result eq 1 )").extensions().get("position")).isEqualTo(12);
  }

  @Test
  void depthLengthAndTermLimitsAreProblemsNamingTheLimit() {
    int deep = IotQuery.MAX_EXPRESSION_DEPTH + 1;
    assertThat(refused("(".repeat(deep) + "result eq 1" + ")".repeat(deep)).extensions())
        .containsEntry("limit", "maxExpressionDepth");
    assertThat(refused("not ".repeat(deep) + "result eq 1").extensions()).containsEntry("limit",
        "maxExpressionDepth");
    assertThat(refused("result eq 1" + " or result eq 2".repeat(IotQuery.MAX_EXPRESSION_TERMS)).extensions())
        .containsEntry("limit", "maxExpressionTerms");
    assertThat(refused("name eq '" + "x".repeat(IotQuery.MAX_EXPRESSION_CHARS) + "'").extensions())
        .containsEntry("limit", "maxExpressionLength");
    // the budget is shared: two expressions of one request count together
    IotQuery.Budget shared = new IotQuery.Budget();
    String half = "result eq 1" + " or result eq 2".repeat(IotQuery.MAX_EXPRESSION_TERMS / 10);
    new IotExprParser(half, "$filter", shared).parseAll();
    new IotExprParser(half, "$orderby", shared).parseAll();
    assertThat(catchThrowableOfType(Problem.class, () -> new IotExprParser(half, "$filter", shared).parseAll())
        .extensions()).containsEntry("limit", "maxExpressionTerms");
  }

  @Test
  void booleanFunctionsAreKnownToTheCatalogue() {
    assertThat(IotExprParser.BOOLEAN_FUNCTIONS).contains("st_within", "startswith", "during")
        .doesNotContain("length", "round");
    assertThat(List.of("before", "after")).allMatch(IotExprParser.BOOLEAN_FUNCTIONS::contains);
  }
}
