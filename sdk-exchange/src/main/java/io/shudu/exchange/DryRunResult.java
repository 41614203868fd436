package io.shudu.exchange;

import java.util.List;

/**
 * The dry-run's answer.
 *
 * @param offerId the offer
 * @param allowed whether the use is allowed
 * @param violations every reason it is not (empty when allowed)
 * @param policy the offer's policy
 */
public record DryRunResult(String offerId, boolean allowed, List<PolicyViolation> violations, UsagePolicy policy) {
  /** Copies. */
  public DryRunResult {
    violations = violations == null ? List.of() : List.copyOf(violations);
  }

  /**
   * One line per reason, or "allowed".
   *
   * @return explanation
   */
  public String explain() {
    if (allowed) {
      return "allowed by offer " + offerId;
    }
    StringBuilder sb = new StringBuilder("not allowed by offer " + offerId + ":");
    for (PolicyViolation v : violations) {
      sb.append("\n- ").append(v.field()).append(" (").append(v.code()).append("): ").append(v.message());
    }
    return sb.toString();
  }
}
