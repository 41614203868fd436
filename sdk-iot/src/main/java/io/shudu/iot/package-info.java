/** Shudu iot client API. */
package io.shudu.iot;
