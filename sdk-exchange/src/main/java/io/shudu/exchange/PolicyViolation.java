package io.shudu.exchange;

/**
 * One reason a use is not allowed.
 *
 * @param field the intended-use field concerned (purpose, durationDays, territory, crossBorder, redistribution,
 *     personalInformation)
 * @param code machine-readable reason, such as purpose_not_permitted
 * @param message explanation with the permitted values
 */
public record PolicyViolation(String field, String code, String message) {}
