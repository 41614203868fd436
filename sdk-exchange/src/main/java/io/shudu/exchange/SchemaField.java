package io.shudu.exchange;

/**
 * One field of the data dictionary.
 *
 * @param name field name
 * @param type data type
 * @param description meaning
 */
public record SchemaField(String name, String type, String description) {}
