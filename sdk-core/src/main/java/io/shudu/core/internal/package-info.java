/**
 * NOT API: the shared implementation of the Shudu clients and the sandbox (the HTTP pipeline, JSON, request signing,
 * feeds). Anything here may change or disappear in any release, patch releases included; it is excluded from the
 * API dumps and from the compatibility promise of docs/versioning.md.
 *
 * <p>It is exported only to the SDK's own modules (see module-info), never to all. A partner whose application is a
 * named module and who runs its tests with the sandbox on the class path (build tools put test-only dependencies
 * there) gives the sandbox this package with {@code --add-exports io.shudu.core/io.shudu.core.internal=ALL-UNNAMED}
 * in the test JVM's arguments, as this project's own module-path test runs do. Do not use it from your own code.
 */
package io.shudu.core.internal;
