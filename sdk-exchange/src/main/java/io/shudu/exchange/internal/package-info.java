/** Implementation of the exchange client; not API. */
package io.shudu.exchange.internal;
