package io.shudu.spring;

import io.shudu.core.ClientConfig;

/**
 * Adjusts the starter's {@link ClientConfig} before it is built, after the {@code shudu.*} properties and the
 * {@link io.shudu.core.ClientListener} beans were applied. Declare one as a bean, for example to set a transport or the
 * logging allow-lists; integrations (metrics, tracing) can also just declare a {@code ClientListener} bean.
 *
 * <pre>{@code
 * @Bean
 * ShuduClientConfigCustomizer quietLogs() {
 *   return builder -> builder.loggedQueryParameters(Set.of("limit"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ShuduClientConfigCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder holding the properties' values
   */
  void customize(ClientConfig.Builder builder);
}
