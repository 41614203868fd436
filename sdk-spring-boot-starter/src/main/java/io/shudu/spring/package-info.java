/**
 * Spring Boot integration of the Shudu SDK: {@code shudu.*} properties, client beans, health and info, feed
 * listeners run with the application context, and a JDBC checkpoint store. See docs/guide-spring.md.
 */
package io.shudu.spring;
