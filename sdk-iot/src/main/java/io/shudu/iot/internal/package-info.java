/** Implementation of the iot client; not API. */
package io.shudu.iot.internal;
