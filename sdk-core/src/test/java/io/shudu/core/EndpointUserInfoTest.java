package io.shudu.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An endpoint with user-info is refused with a clear error that never repeats the password. */
class EndpointUserInfoTest {
  private static final String PASSWORD = "s3cr3t-pa55word";

  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  @Test
  void anEndpointWithUserInfoIsRefusedWithoutEchoingThePassword() {
    List<String> endpoints = List.of("http://user:" + PASSWORD + "@127.0.0.1:8080",
        "https://user:" + PASSWORD + "@api.shudu.example/base/", "http://" + PASSWORD + "@api.shudu.example",
        "http://user:" + PASSWORD + "@api.shudu.example?x=1", "ftp://user:" + PASSWORD + "@api.shudu.example",
        "user:" + PASSWORD + "@api.shudu.example", "http://user:" + PASSWORD + "@bad host", "http://a:b@c:" + PASSWORD
            + "@api.shudu.example/path");
    for (String e : endpoints) {
      Throwable t = catchThrowable(() -> ClientConfig.builder().endpoint(e));
      assertThat(t).as(e).isInstanceOf(IllegalArgumentException.class);
      assertThat(messages(t)).as(e).contains("user-info").doesNotContain(PASSWORD);
      if (!e.contains(" ")) {
        Throwable u = catchThrowable(() -> ClientConfig.builder().endpoint(URI.create(e)));
        assertThat(u).as(e).isInstanceOf(IllegalArgumentException.class);
        assertThat(messages(u)).as(e).contains("user-info").contains("credentials(...)").doesNotContain(PASSWORD);
      }
    }
    assertThat(messages(catchThrowable(() -> ClientConfig.builder().endpoint("http://user:" + PASSWORD
        + "@api.shudu.example")))).contains("'http://***@api.shudu.example'");
  }

  @Test
  void aTokenEndpointWithUserInfoIsRefused() {
    Throwable t = catchThrowable(() -> Credentials.oauth2(URI.create("https://id:" + PASSWORD
        + "@api.shudu.example/oauth2/token"), "client", "secret"));
    assertThat(t).isInstanceOf(IllegalArgumentException.class);
    assertThat(messages(t)).contains("user-info").doesNotContain(PASSWORD);
  }

  @Test
  void endpointsWithoutUserInfoStillWorkAndAtSignsOutsideTheAuthorityAreFine() {
    assertThat(ClientConfig.builder().endpoint("https://api.shudu.example/a@b/").credentials(Credentials.anonymous())
        .build().endpoint()).hasToString("https://api.shudu.example/a@b");
    assertThat(ClientConfig.builder().endpoint("http://127.0.0.1:8080").credentials(Credentials.anonymous()).build()
        .toString()).contains("endpoint=http://127.0.0.1:8080");
    Throwable t = catchThrowable(() -> ClientConfig.builder().endpoint("http://bad host"));
    assertThat(t).hasMessageContaining("not a valid URI").hasMessageNotContaining("user-info");
  }
}
