package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.spring.autoconfigure.ShuduAutoConfiguration;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The configuration metadata the starter jar ships (generated from {@link ShuduProperties} plus the additional
 * metadata) documents every key, and the {@code .properties} blocks of docs/guide-spring.md use only those keys, with
 * no comment after a value (in a .properties file it would be part of the value), and start a context.
 */
class ConfigurationMetadataTest {
  static final Path GUIDE = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("guide-spring.md");

  /** The starter's metadata: name to description, from the copy on the class path that has the shudu.* keys. */
  static Map<String, String> metadata() throws Exception {
    List<URL> urls = Collections.list(ConfigurationMetadataTest.class.getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json"));
    for (URL url : urls) {
      JsonNode doc;
      try (InputStream in = url.openStream()) {
        doc = new ObjectMapper().readTree(in);
      }
      Map<String, String> keys = new LinkedHashMap<>();
      for (JsonNode p : doc.path("properties")) {
        keys.put(p.path("name").asText(), p.path("description").asText(""));
      }
      if (keys.containsKey("shudu.endpoint")) {
        return keys;
      }
    }
    throw new AssertionError("no META-INF/spring-configuration-metadata.json with shudu.* keys among " + urls);
  }

  @Test
  void theMetadataDocumentsTheCredentialAndPerServiceKeys() throws Exception {
    Map<String, String> keys = metadata();
    List<String> expected = new ArrayList<>(List.of("shudu.endpoint", "shudu.tenant", "shudu.api-key",
        "shudu.access-key.id", "shudu.access-key.secret", "shudu.oauth2.client-id", "shudu.oauth2.client-secret",
        "shudu.oauth2.token-url", "shudu.oauth2.scope", "shudu.connect-timeout", "shudu.retry.max-attempts",
        "shudu.feeds.restart-delay", "shudu.checkpoints.table", "shudu.sandbox.enabled", "shudu.metrics.enabled",
        "shudu.tracing.enabled", "management.health.shudu.enabled", "shudu.exchange.trusted-keys"));
    for (String service : List.of("twin", "iot", "exchange")) {
      for (String key : List.of("enabled", "endpoint", "connect-timeout", "attempt-timeout", "call-timeout",
          "retry.max-attempts", "retry.base-delay")) {
        expected.add("shudu." + service + "." + key);
      }
    }
    for (String key : expected) {
      assertThat(keys).as("metadata keys").containsKey(key);
      assertThat(keys.get(key)).as("description of %s", key).isNotBlank();
    }
    // the pinned keys are the exchange's alone
    assertThat(keys).doesNotContainKeys("shudu.twin.trusted-keys", "shudu.iot.trusted-keys");
  }

  /** The guide's properties blocks, each as its lines. */
  static List<String> guideBlocks() throws Exception {
    String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("```properties\\R(.*?)\\R```", Pattern.DOTALL).matcher(guide);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("properties blocks in %s", GUIDE).isNotEmpty();
    return blocks;
  }

  @Test
  void theGuidesPropertiesUseDocumentedKeysWithoutTrailingComments() throws Exception {
    Map<String, String> keys = metadata();
    for (String block : guideBlocks()) {
      // commented-out settings are checked too: a reader uncomments them
      Properties p = new Properties();
      p.load(new StringReader(block.replaceAll("(?m)^#(\\w[\\w.-]*=)", "$1")));
      assertThat(p).as("block %s", block).isNotEmpty();
      for (String key : p.stringPropertyNames()) {
        assertThat(keys).as("key %s of docs/guide-spring.md", key).containsKey(key);
        assertThat(p.getProperty(key)).as("value of %s (a # after a value is part of it)", key).doesNotContain("#");
      }
    }
  }

  @Test
  void theGuidesMainBlockStartsAContext() throws Exception {
    String block = guideBlocks().get(0);
    Properties p = new Properties();
    p.load(new StringReader(block));
    List<String> values = new ArrayList<>();
    for (String key : p.stringPropertyNames()) {
      values.add(key + "=" + p.getProperty(key));
    }
    values.add("SHUDU_API_KEY=sk_test_from_the_environment");
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ShuduAutoConfiguration.class))
        .withPropertyValues(values.toArray(String[]::new)).run(context -> {
          assertThat(context).hasNotFailed();
          ShuduProperties bound = context.getBean(ShuduProperties.class);
          assertThat(bound.getTenant()).isEqualTo("rider-routing");
          assertThat(bound.getEndpoint()).hasToString("https://api.shudu.example");
          assertThat(bound.getIot().getCallTimeout()).hasMinutes(5);
        });
  }
}
