package io.shudu.exchange.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.Delivery;
import io.shudu.exchange.DeliveryState;
import io.shudu.exchange.DownloadResult;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.ExchangeVerificationException;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Order;
import io.shudu.exchange.OrderState;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way of verifying a download gives the same bytes, root and failures: chunks hashed by the parallel pipeline
 * (no extra thread, one, three) and chunks hashed inline by the reader (the path for chunks too large to buffer).
 */
class DeliveryPathsTest {
  static Sandbox sandbox;
  static ExchangeClient exchange;
  static ApiClient api;
  static ExecutorService pool;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    ClientConfig config = sandbox.tenant("paths").clientConfig();
    exchange = ExchangeClient.create(config);
    api = new ApiClient(config, "exchange-test");
    api.call(ApiRequest.builder("test.settings", "PUT", "/exchange/v1/sandbox/settings").json(Map.of("autoProgress",
        true, "merchantDelayMs", 0, "exchangeDelayMs", 0)).build(), JsonNode.class);
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "paths-test");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    exchange.close();
    sandbox.close();
  }

  private static void fault(String deliveryId, String kind, long atByte) {
    api.call(ApiRequest.builder("test.fault", "POST", "/exchange/v1/sandbox/delivery-faults").json(Map.of(
        "deliveryId", deliveryId, "kind", kind, "atByte", atByte)).build(), JsonNode.class);
  }

  private static Delivery started(String offerId) {
    Order o = exchange.orders().create(offerId, IntendedUse.of("research", 30));
    exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(10));
    exchange.orders().agree(o.id());
    exchange.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(10));
    Delivery d = exchange.deliveries().request(o.id());
    return exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(10));
  }

  private static List<DeliveriesApi> paths() {
    List<DeliveriesApi> out = new ArrayList<>();
    for (int threads : new int[] {0, 1, 3}) {
      out.add(new DeliveriesApi(api, null, new KeyRing(api), pool, threads, HashPipeline.MAX_CHUNK));
    }
    out.add(new DeliveriesApi(api, null, new KeyRing(api), pool, 1, 0)); // every chunk hashed inline
    return out;
  }

  @Test
  void everyPathDownloadsResumesAndVerifiesTheSameBytes(@TempDir Path dir) throws Exception {
    Delivery d = started("of-bus-gps");
    Path clean = dir.resolve("clean.bin");
    DownloadResult reference = exchange.deliveries().download(d.id(), clean, null);
    int n = 0;
    for (DeliveriesApi path : paths()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      fault(d.id(), "cut", 5L * 1024 * 1024 + 12_345 + n); // a resume inside chunk 5
      List<Long> progress = new ArrayList<>();
      DownloadResult r = path.download(d.id(), out, (done, total) -> progress.add(done));
      assertThat(r.resumes()).isEqualTo(1);
      assertThat(r.merkleRoot()).isEqualTo(reference.merkleRoot());
      assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(clean));
      assertThat(progress).isSorted().last().isEqualTo(d.sizeBytes());

      Path file = dir.resolve("f" + n++ + ".bin");
      Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(clean), 3 * 1024 * 1024 + 7));
      DownloadResult resumed = path.download(d.id(), file, null);
      assertThat(resumed.resumedFrom()).isEqualTo(3L * 1024 * 1024);
      assertThat(Files.mismatch(file, clean)).isEqualTo(-1);
    }
  }

  @Test
  void everyPathRejectsAFlippedByteAndKeepsOnlyVerifiedChunks(@TempDir Path dir) {
    Delivery d = started("of-bus-gps");
    int n = 0;
    for (DeliveriesApi path : paths()) {
      long chunk = 1 + n;
      fault(d.id(), "flip", chunk * 1024 * 1024 + 99);
      Path file = dir.resolve("f" + n++ + ".bin");
      assertThatThrownBy(() -> path.download(d.id(), file, null))
          .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
            assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.CHUNK_HASH_MISMATCH);
            assertThat(e.position()).isEqualTo(chunk);
          });
      assertThat(file).hasSize(chunk * 1024 * 1024);
      DownloadResult ok = path.download(d.id(), file, null);
      assertThat(ok.resumedFrom()).isEqualTo(chunk * 1024 * 1024);
      assertThat(ok.bytes()).isEqualTo(d.sizeBytes());
    }
  }
}
