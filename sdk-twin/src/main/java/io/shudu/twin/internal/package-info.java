/** Implementation of the twin client; not API. */
package io.shudu.twin.internal;
