/** Shudu twin client API. */
package io.shudu.twin;
