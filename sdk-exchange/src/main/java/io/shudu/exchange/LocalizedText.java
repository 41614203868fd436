package io.shudu.exchange;

/**
 * Text in Chinese and English.
 *
 * @param zh Chinese
 * @param en English
 */
public record LocalizedText(String zh, String en) {}
