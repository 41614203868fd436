/**
 * NOT API: the shared implementation of the Shudu clients and the sandbox (the HTTP pipeline, JSON, request signing,
 * feeds). Anything here may change or disappear in any release, patch releases included; it is excluded from the
 * API dumps and from the compatibility promise of docs/versioning.md.
 *
 * <p>It is exported to every module, not only to the Shudu modules, for one reason: a partner whose application is a
 * named module runs its tests with the sandbox on the class path (build tools put test-only dependencies there), and
 * the sandbox must still reach this package from the unnamed module. Do not use it from your own code.
 */
package io.shudu.core.internal;
