package io.shudu.kafka.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

/** The connector's settings: validation that names the setting, masked secrets, the task split. */
class ShuduSourceConfigTest {
  static final String SECRET = "sk_live_0123456789abcdef";

  static Map<String, String> good() {
    Map<String, String> p = new HashMap<>();
    p.put("shudu.endpoint", "https://api.shudu.example");
    p.put("shudu.api.key", SECRET);
    p.put("feeds", "traffic,fire-alarms,dispatch");
    return p;
  }

  static Map<String, String> with(String k, String v) {
    Map<String, String> p = good();
    if (v == null) {
      p.remove(k);
    } else {
      p.put(k, v);
    }
    return p;
  }

  static void rejects(Map<String, String> props, String setting, String... hints) {
    assertThatThrownBy(() -> new ShuduSourceConfig(props)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(setting).hasMessageNotContaining(SECRET)
        .satisfies(e -> {
          for (String hint : hints) {
            assertThat(e.getMessage()).contains(hint);
          }
        });
    // the connector's validate() puts the same problem on that setting
    Config result = new ShuduSourceConnector().validate(props);
    List<String> errors = result.configValues().stream().filter(v -> v.name().equals(setting))
        .flatMap(v -> v.errorMessages().stream()).toList();
    assertThat(errors).as("validate() errors on %s", setting).isNotEmpty();
    assertThat(String.join(" ", errors)).doesNotContain(SECRET);
    assertThat(result.configValues().stream().filter(v -> !v.name().equals(setting))
        .flatMap(v -> v.errorMessages().stream()).toList()).as("errors on other settings").isEmpty();
  }

  @Test
  void aGoodConfigurationParses() {
    ShuduSourceConfig c = new ShuduSourceConfig(good());
    assertThat(c.feeds()).containsExactly("traffic", "fire-alarms", "dispatch");
    assertThat(c.topic("traffic")).isEqualTo("shudu.traffic");
    assertThat(c.auth()).isEqualTo(ShuduSourceConfig.Auth.API_KEY);
    assertThat(c.gapPolicy()).isEqualTo(ShuduSourceConfig.GapPolicy.FAIL);
    assertThat(c.offsetAheadPolicy()).isEqualTo(ShuduSourceConfig.OffsetAheadPolicy.FAIL);
    assertThat(c.clientConfig().endpoint().toString()).startsWith("https://api.shudu.example");
    assertThat(new ShuduSourceConnector().validate(good()).configValues().stream()
        .flatMap(v -> v.errorMessages().stream()).toList()).isEmpty();
  }

  @Test
  void eachBadSettingIsNamedWithWhatToWrite() {
    rejects(with("shudu.endpoint", null), "shudu.endpoint");
    rejects(with("shudu.endpoint", "ftp://x"), "shudu.endpoint", "http(s) URL");
    rejects(with("shudu.endpoint", "not a url"), "shudu.endpoint");
    rejects(with("shudu.api.key", null), "shudu.api.key", "required", "config provider");
    rejects(with("shudu.api.key", " "), "shudu.api.key", "required");
    rejects(with("shudu.auth", "kerberos"), "shudu.auth", "api-key, access-key, oauth2");
    rejects(with("feeds", null), "feeds");
    rejects(with("feeds", "traffic,bad feed"), "feeds", "'bad feed'", "GET /feeds/v1");
    rejects(with("keys", "traffic"), "keys", "feed:key");
    rejects(with("keys", "water:7"), "keys", "water:7", "not in feeds");
    rejects(with("topic.template", "shudu/${feed}"), "topic.template", "shudu/traffic", "legal Kafka topic");
    rejects(with("gap.topic", "gaps!"), "gap.topic", "legal Kafka topic");
    rejects(with("gap.policy", "ignore"), "gap.policy", "fail, continue");
    rejects(with("offset.ahead.policy", "none"), "offset.ahead.policy", "fail, earliest, latest");
    rejects(with("start.position", "beginning"), "start.position", "earliest, latest");
    rejects(with("value.format", "avro"), "value.format", "json, observation");
    rejects(with("heartbeat.ms", "50"), "heartbeat.ms");
    Map<String, String> backoff = with("reconnect.backoff.min.ms", "5000");
    backoff.put("reconnect.backoff.max.ms", "100");
    rejects(backoff, "reconnect.backoff.max.ms", "at least reconnect.backoff.min.ms");
  }

  @Test
  void accessKeyAndOAuth2NeedTheirOwnSettings() {
    Map<String, String> ak = with("shudu.api.key", null);
    ak.put("shudu.auth", "access-key");
    ak.put("shudu.access.key.id", "AK1");
    rejects(ak, "shudu.secret.access.key", "required");
    ak.put("shudu.secret.access.key", SECRET);
    assertThat(new ShuduSourceConfig(ak).auth()).isEqualTo(ShuduSourceConfig.Auth.ACCESS_KEY);

    Map<String, String> oauth = with("shudu.api.key", null);
    oauth.put("shudu.auth", "oauth2");
    oauth.put("shudu.oauth2.client.id", "client-1");
    oauth.put("shudu.oauth2.client.secret", SECRET);
    rejects(oauth, "shudu.oauth2.token.url", "required");
    oauth.put("shudu.oauth2.token.url", "token");
    rejects(oauth, "shudu.oauth2.token.url", "absolute http(s) URL");
    oauth.put("shudu.oauth2.token.url", "https://auth.shudu.example/oauth2/token");
    assertThat(new ShuduSourceConfig(oauth).clientConfig().credentials().toString()).doesNotContain(SECRET);
  }

  @Test
  void secretsArePasswordsThatConnectMasks() {
    ConfigDef def = new ShuduSourceConnector().config();
    for (String s : List.of("shudu.api.key", "shudu.secret.access.key", "shudu.oauth2.client.secret")) {
      assertThat(def.configKeys().get(s).type).as(s).isEqualTo(ConfigDef.Type.PASSWORD);
    }
    ShuduSourceConfig c = new ShuduSourceConfig(good());
    assertThat(c.toString()).doesNotContain(SECRET);
    assertThat(c.values().toString()).doesNotContain(SECRET);
    ConfigValue key = new ShuduSourceConnector().validate(good()).configValues().stream()
        .filter(v -> v.name().equals("shudu.api.key")).findFirst().orElseThrow();
    assertThat(String.valueOf(key.value())).doesNotContain(SECRET);
  }

  @Test
  void aPasswordInAUrlSettingIsNeverShownLoggedOrEchoed() {
    String password = "pw_s3cr3t_in_url";
    Map<String, String> endpoint = with("shudu.endpoint", "https://u:" + password + "@api.shudu.example");
    Map<String, String> token = with("shudu.api.key", null);
    token.put("shudu.auth", "oauth2");
    token.put("shudu.oauth2.client.id", "client-1");
    token.put("shudu.oauth2.client.secret", SECRET);
    token.put("shudu.oauth2.token.url", "https://u:" + password + "@auth.shudu.example/oauth2/token");
    Map<String, String> unparsable = with("shudu.endpoint", "https://u:" + password + "@api shudu example");
    String log = capturingStandardError(() -> {
      // a good configuration is logged (the capture sees AbstractConfig's INFO dump of the values)
      new ShuduSourceConfig(good());
      for (Map<String, String> props : List.of(endpoint, token, unparsable)) {
        String setting = props == token ? "shudu.oauth2.token.url" : "shudu.endpoint";
        assertThatThrownBy(() -> new ShuduSourceConfig(props)).isInstanceOf(ConfigException.class)
            .hasMessageContaining(setting).hasMessageContaining("must not contain user-info")
            .hasMessageContaining("***@").hasMessageNotContaining(password);
        Config result = new ShuduSourceConnector().validate(props);
        assertThat(result.configValues().stream().filter(v -> v.name().equals(setting))
            .flatMap(v -> v.errorMessages().stream()).toList()).as("validate() errors on %s", setting)
            .singleElement().asString().contains("user-info");
        assertThat(result.configValues().toString()).doesNotContain(password);
        ShuduSourceConnector connector = new ShuduSourceConnector();
        assertThatThrownBy(() -> connector.start(props)).hasMessageNotContaining(password);
      }
    });
    assertThat(log).as("the capture must see the config dump").contains("shudu.endpoint = https://api.shudu.example");
    assertThat(log).doesNotContain(password);
    assertThat(new ShuduSourceConnector().config().configKeys().get("shudu.oauth2.token.url").validator)
        .as("the token URL is validated as it is parsed, before AbstractConfig logs it").isNotNull();
  }

  /** Runs the action with System.err (slf4j-simple's target, see simplelogger.properties) captured. */
  static String capturingStandardError(Runnable action) {
    java.io.PrintStream before = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(before);
    }
    return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void versionAndUserAgentAreTheBuildsVersion() throws Exception {
    String version = System.getProperty("shudu.project.version");
    assertThat(version).as("the pom passes the project version").isNotBlank().doesNotContain("${");
    assertThat(new ShuduSourceConnector().version()).isEqualTo(version);
    assertThat(new ShuduSourceTask().version()).isEqualTo(version);
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.util.concurrent.CompletableFuture<String> head =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> answerOnceWith404(socket));
      Map<String, String> props = with("shudu.endpoint", "http://127.0.0.1:" + socket.getLocalPort());
      props.put(ShuduSourceConfig.TASK_ASSIGNMENTS, Assignment.encode(List.of(new Assignment("traffic", List.of()))));
      ShuduSourceTask task = new ShuduSourceTask();
      task.initialize(noStoredOffsets(props));
      try {
        task.start(props);
      } catch (ConnectException expected) {
        // the one-answer server says 404
      } finally {
        task.stop();
      }
      assertThat(head.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .containsPattern("(?i)user-agent: shudu-sdk-java/" + java.util.regex.Pattern.quote(version) + " \\(.*\\) "
              + "kafka-connect/" + java.util.regex.Pattern.quote(version) + "\n");
    }
  }

  /** A task context as a worker gives it, with no stored offsets. */
  static org.apache.kafka.connect.source.SourceTaskContext noStoredOffsets(Map<String, String> props) {
    return new org.apache.kafka.connect.source.SourceTaskContext() {
      @Override
      public Map<String, String> configs() {
        return props;
      }

      @Override
      public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        return null; // the task registers no metrics
      }

      @Override
      public org.apache.kafka.connect.storage.OffsetStorageReader offsetStorageReader() {
        return new org.apache.kafka.connect.storage.OffsetStorageReader() {
          @Override
          public <T> Map<String, Object> offset(Map<String, T> partition) {
            return null;
          }

          @Override
          public <T> Map<Map<String, T>, Map<String, Object>> offsets(java.util.Collection<Map<String, T>> partitions) {
            return Map.of();
          }
        };
      }
    };
  }

  static String answerOnceWith404(java.net.ServerSocket socket) {
    try (java.net.Socket s = socket.accept()) {
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.append(line).append('\n');
      }
      byte[] body = "{\"title\":\"no such feed\",\"status\":404}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      s.getOutputStream().write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n"
          + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().write(body);
      s.getOutputStream().flush();
      return head.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void workIsSplitByFeedAndKeyOverTasksMax() {
    Map<String, String> p = good();
    p.put("keys", "traffic:1,traffic:2,traffic:3,traffic:4,fire-alarms:9");
    ShuduSourceConnector c = new ShuduSourceConnector();
    c.start(p);
    List<Map<String, String>> tasks = c.taskConfigs(4);
    assertThat(tasks).hasSize(4);
    List<List<Assignment>> decoded = tasks.stream()
        .map(t -> Assignment.decode(t.get("shudu.task.assignments"))).toList();
    // units: traffic:1..4, fire-alarms:9, dispatch (whole): 6 units round-robin over 4 tasks
    assertThat(decoded.get(0)).containsExactly(new Assignment("traffic", List.of("1")),
        new Assignment("fire-alarms", List.of("9")));
    assertThat(decoded.get(1)).containsExactly(new Assignment("traffic", List.of("2")),
        new Assignment("dispatch", List.of()));
    assertThat(decoded.get(2)).containsExactly(new Assignment("traffic", List.of("3")));
    assertThat(decoded.get(3)).containsExactly(new Assignment("traffic", List.of("4")));
    // never more tasks than units
    assertThat(c.taskConfigs(50)).hasSize(6);
    // three whole feeds: three tasks at most
    ShuduSourceConnector whole = new ShuduSourceConnector();
    whole.start(good());
    assertThat(whole.taskConfigs(6)).hasSize(3);
    assertThat(whole.taskConfigs(2)).hasSize(2);
    assertThat(whole.exactlyOnceSupport(good())).isEqualTo(ExactlyOnceSupport.SUPPORTED);
  }

  @Test
  void assignmentsSurviveKeysWithSeparators() {
    List<Assignment> as = List.of(new Assignment("twin-changes", List.of("a,b", "c;d", "e=f", "中文 键")),
        new Assignment("traffic", List.of()));
    assertThat(Assignment.decode(Assignment.encode(as))).isEqualTo(as);
  }

  @Test
  void offsetsEditedThroughRestMustHaveTheConnectorsShape() {
    ShuduSourceConnector c = new ShuduSourceConnector();
    assertThat(c.alterOffsets(good(), Map.of(Map.of("feed", "traffic"), Map.of("id", 5L)))).isTrue();
    assertThat(c.alterOffsets(good(), Map.of(Map.of("feed", "traffic", "key", "12"), Map.of("id", 0)))).isTrue();
    assertThatThrownBy(() -> c.alterOffsets(good(), Map.of(Map.of("topic", "x"), Map.of("id", 5L))))
        .isInstanceOf(ConnectException.class).hasMessageContaining("{\"feed\": \"traffic\"}");
    assertThatThrownBy(() -> c.alterOffsets(good(), Map.of(Map.of("feed", "traffic"), Map.of("id", -1))))
        .isInstanceOf(ConnectException.class).hasMessageContaining("{\"id\": 42}");
    assertThatThrownBy(() -> c.alterOffsets(good(), Map.of(Map.of("feed", "traffic"), Map.of("id", "7"))))
        .isInstanceOf(ConnectException.class);
  }
}
