/** Shudu exchange client API. */
package io.shudu.exchange;
