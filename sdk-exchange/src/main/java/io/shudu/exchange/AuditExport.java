package io.shudu.exchange;

import java.util.List;

/**
 * An exported chain with the exchange's signature over its head.
 *
 * @param orderId order
 * @param events events in order
 * @param headHash hash of the last event
 * @param keyId signing key
 * @param signature base64url Ed25519 signature over the head message
 */
public record AuditExport(String orderId, List<AuditEvent> events, String headHash, String keyId,
    String signature) {
  /** Copies (a null element is kept, so that verification reports it as a missing event). */
  public AuditExport {
    events = events == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(events));
  }

  @Override
  public String toString() {
    return "AuditExport{orderId=" + orderId + ", events=" + events.size() + ", headHash=" + headHash + ", keyId="
        + keyId + "}";
  }
}
