package io.shudu.examples.snippets;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.WebhookVerifier;
import io.shudu.core.geo.Coordinates;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.exchange.CatalogQuery;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.ExchangeKey;
import io.shudu.exchange.ExchangeWebhooks;
import io.shudu.exchange.WebhookRegistration;
import io.shudu.sandbox.Sandbox;
import io.shudu.iot.Thing;
import io.shudu.twin.Entity;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The code of the reference pages (docs/api/feeds.md, docs/architecture.md, docs/signing.md) and of the set-up and
 * webhook sections of docs/guide-exchange.md. Each region between {@code snippet:start} and {@code snippet:end} is
 * copied verbatim into its page, {@code DocSnippetsTest} fails the build when the two drift apart (and when a page has
 * a Java block without a region), and {@code ReferenceSnippetsTest} runs every method against a sandbox.
 */
public final class ReferenceSnippets {
  private ReferenceSnippets() {}

  /**
   * docs/api/feeds.md: any feed by name, with a checkpoint, following one traffic datastream.
   *
   * @param config client configuration
   * @param stateDir folder of the checkpoint file
   * @param signalDatastreamId the id of a traffic datastream (traffic events are keyed by datastream id)
   * @param board receives the latest reading per key
   * @return the open subscription; the caller closes it
   * @throws InterruptedException if interrupted while connecting
   */
  public static FeedSubscription openByName(ClientConfig config, Path stateDir, String signalDatastreamId,
      Map<String, Object> board) throws InterruptedException {
    // snippet:start open-by-name
    record TrafficReading(Instant phenomenonTime, Object result) {}   // the observation members this app reads

    FeedOptions options = FeedOptions.builder()
        .checkpoint(CheckpointStore.file(stateDir.resolve("feeds.checkpoints")), "signal-board/traffic")
        .start(FeedOptions.StartPosition.earliest())      // only used while there is no checkpoint yet
        .build();
    FeedSubscription sub = FeedSubscription.open(config, "traffic", List.of(signalDatastreamId),
        TrafficReading.class, options, event -> board.put(event.key(), event.payload()));   // key: datastream id
    if (!sub.awaitConnected(Duration.ofSeconds(10))) {    // throws instead if the subscription has ended
      sub.close();
      throw new IllegalStateException("the traffic feed did not connect within 10 s: " + sub);
    }
    // keep sub open for the life of the application and close() it on shutdown; state() and failure() tell how it is
    // snippet:end open-by-name
    return sub;
  }

  /**
   * docs/signing.md: a client that signs every request with an access key pair.
   *
   * @param endpoint the platform's (or a sandbox's) base URL
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret access key
   * @return the configuration
   */
  public static ClientConfig accessKeyConfig(URI endpoint, String accessKeyId, String secretAccessKey) {
    // snippet:start access-key-config
    ClientConfig config = ClientConfig.builder()
        .endpoint(endpoint)                                         // https://api.shudu.example
        .credentials(Credentials.accessKey(accessKeyId, secretAccessKey))   // for example AKDEMO0001 and the
        .build();                                                   // secret from your vault or environment
    // snippet:end access-key-config
    return config;
  }

  /**
   * docs/signing.md: verifying a webhook delivery.
   *
   * @param webhookSecret the endpoint's signing secret
   * @param rawBodyBytes the delivery's body exactly as received
   * @param signatureHeader its {@code Shudu-Signature} header
   * @return the signing time
   */
  public static Instant verifyWebhook(String webhookSecret, byte[] rawBodyBytes, String signatureHeader) {
    // snippet:start webhook-verifier
    WebhookVerifier verifier = WebhookVerifier.builder()
        .secret(webhookSecret)                          // add the old and the new secret while rotating
        .tolerance(Duration.ofMinutes(5))
        .build();
    Instant signedAt = verifier.verify(rawBodyBytes, signatureHeader);   // the Shudu-Signature header
    // snippet:end webhook-verifier
    return signedAt;
  }

  /**
   * docs/signing.md: signing a test delivery.
   *
   * @return a {@code Shudu-Signature} header
   */
  public static String signForTests() {
    // snippet:start webhook-sign
    String header = WebhookVerifier.sign("whsec_demo_4Kx9Qm2Lp7", Instant.now(), "{\"id\":\"evt_001\"}");
    // snippet:end webhook-sign
    return header;
  }

  /**
   * docs/guide-exchange.md: the set-up.
   *
   * @param out where the catalogue size is printed
   */
  public static void exchangeSetup(PrintStream out) {
    // snippet:start exchange-setup
    try (Sandbox sandbox = Sandbox.start();                       // or your platform endpoint and credentials
         ExchangeClient exchange = ExchangeClient.builder(sandbox.clientConfig())
             .trustedKeys(ExchangeKey.parse(sandbox.exchangeKeys()))   // the platform's: ExchangeKey.read(file)
             .build()) {
      // ... the steps below, for example:
      out.println(exchange.catalog().search(CatalogQuery.all()).stream().count() + " data products");
    }
    // snippet:end exchange-setup
  }

  /**
   * docs/guide-exchange.md: registering a webhook endpoint and keeping its secret.
   *
   * @param exchange the client
   * @param secretStore where the application keeps secrets
   * @return the registration
   */
  public static WebhookRegistration registerWebhook(ExchangeClient exchange, Map<String, String> secretStore) {
    // snippet:start webhook-register
    WebhookRegistration reg = exchange.webhooks().register("https://partner.example/hooks/exchange", List.of("*"));
    secretStore.put("exchange-webhook", reg.secret());
    // snippet:end webhook-register
    return reg;
  }

  /**
   * docs/guide-exchange.md: verifying a delivery in the HTTP handler.
   *
   * @param secretStore where the application keeps secrets
   * @param rawBody the delivery's body exactly as received
   * @param signatureHeader its signature header
   */
  public static void receiveWebhook(Map<String, String> secretStore, byte[] rawBody, String signatureHeader) {
    // snippet:start webhook-receive
    // in your HTTP handler, with the raw body bytes and the Shudu-Signature header (WebhookVerifier.HEADER):
    WebhookVerifier verifier = ExchangeWebhooks.verifier(secretStore.get("exchange-webhook"));
    verifier.verify(rawBody, signatureHeader);   // SignatureVerificationException if forged
    // snippet:end webhook-receive
  }

  /**
   * docs/api-conventions.md ("Geometry"): a twin entity's position and an IoT Thing's location are the same type.
   *
   * @param entity a twin entity whose geometry is a point
   * @param thing an IoT Thing read with its Locations expanded
   * @return the distance between the two positions, in metres
   */
  public static double twinToIotMetres(Entity entity, Thing thing) {
    // snippet:start shared-geometry
    Position twinAt = ((Geometry.Point) entity.geometry()).coordinates();
    Position iotAt = ((Geometry.Point) thing.locations().get(0).location()).coordinates();
    double metres = Coordinates.distanceMeters(twinAt, iotAt);
    // snippet:end shared-geometry
    return metres;
  }
}
