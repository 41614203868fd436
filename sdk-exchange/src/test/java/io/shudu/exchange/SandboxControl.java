package io.shudu.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import java.util.Map;

/** Test helper for the sandbox-only exchange endpoints (counterparty behaviour, delivery faults) and raw calls. */
final class SandboxControl {
  final ApiClient api;

  SandboxControl(ClientConfig config) {
    this.api = new ApiClient(config, "exchange-test");
  }

  void settings(boolean autoProgress, long merchantDelayMs, long exchangeDelayMs) {
    api.call(ApiRequest.builder("test.settings", "PUT", "/exchange/v1/sandbox/settings").json(Map.of("autoProgress",
        autoProgress, "merchantDelayMs", merchantDelayMs, "exchangeDelayMs", exchangeDelayMs)).build(), JsonNode.class);
  }

  /** Lets this tenant's webhooks reach loopback and private addresses (a receiver on this machine). */
  void allowPrivateWebhookTargets() {
    api.call(ApiRequest.builder("test.settings", "PUT", "/exchange/v1/sandbox/settings").json(Map.of(
        "allowPrivateWebhookTargets", true)).build(), JsonNode.class);
  }

  void deliveryFault(String deliveryId, String kind, long atByte) {
    api.call(ApiRequest.builder("test.fault", "POST", "/exchange/v1/sandbox/delivery-faults").json(Map.of(
        "deliveryId", deliveryId, "kind", kind, "atByte", atByte)).build(), JsonNode.class);
  }

  JsonNode post(String path, Object body) {
    return api.call(ApiRequest.builder("test.post", "POST", path).json(body).build(), JsonNode.class);
  }

  JsonNode get(String path) {
    return api.call(ApiRequest.builder("test.get", "GET", path).build(), JsonNode.class);
  }
}
