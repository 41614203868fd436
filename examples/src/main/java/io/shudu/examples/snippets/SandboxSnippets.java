package io.shudu.examples.snippets;

import io.shudu.core.ClientConfig;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
import io.shudu.twin.Entity;
import io.shudu.twin.TwinClient;
import java.io.PrintStream;

/**
 * The plain (non-test) code of docs/testing-with-sandbox.md. Each region between {@code snippet:start} and
 * {@code snippet:end} is copied verbatim into the guide, {@code DocSnippetsTest} fails the build when the two drift
 * apart, and {@code SandboxTestingGuideTest} runs these methods. The guide's JUnit code lives in that test class.
 */
public final class SandboxSnippets {
  private SandboxSnippets() {}

  /**
   * Starts a sandbox, reads a building through the twin client, prints it and stops the sandbox.
   *
   * @param out where to print
   */
  public static void fromCode(PrintStream out) {
    // snippet:start from-code
    try (Sandbox sandbox = Sandbox.start()) {                    // free port on 127.0.0.1
      ClientConfig config = sandbox.clientConfig();              // tenant "demo", its API key
      try (TwinClient twin = TwinClient.create(config)) {
        Entity building = twin.entities().get("lg-bldg-0001");
        out.println(building.id() + " served by " + sandbox.baseUrl());
      }
    }
    // snippet:end from-code
  }

  /**
   * A configuration for a second tenant that signs its requests.
   *
   * @param sandbox a running sandbox
   * @return the tenant {@code meituan}'s configuration with access-key (AK/SK) signing
   */
  public static ClientConfig signedTenantConfig(Sandbox sandbox) {
    // snippet:start tenant
    SandboxTenant partner = sandbox.tenant("meituan");
    ClientConfig signed = partner.clientConfig().toBuilder()
        .credentials(partner.accessKeyCredentials())             // SHUDU-HMAC-SHA256 request signing
        .build();
    // snippet:end tenant
    return signed;
  }
}
