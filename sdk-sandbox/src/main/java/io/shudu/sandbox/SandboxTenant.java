package io.shudu.sandbox;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import java.net.URI;

/**
 * A tenant of the sandbox and its credentials for each auth scheme. Sandbox credentials are generated per sandbox
 * and are not secrets in any real sense, but they are still kept out of {@code toString}.
 */
public final class SandboxTenant {
  private final String name;
  private final URI baseUrl;
  private final String apiKey;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String clientId;
  private final String clientSecret;

  SandboxTenant(String name, URI baseUrl, String apiKey, String accessKeyId, String secretAccessKey, String clientId,
      String clientSecret) {
    this.name = name;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /**
   * Tenant name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The API key.
   *
   * @return the key
   */
  public String apiKey() {
    return apiKey;
  }

  /**
   * The access key id for request signing.
   *
   * @return the id
   */
  public String accessKeyId() {
    return accessKeyId;
  }

  /**
   * The secret access key for request signing.
   *
   * @return the secret
   */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  /**
   * OAuth2 client id.
   *
   * @return the id
   */
  public String clientId() {
    return clientId;
  }

  /**
   * OAuth2 client secret.
   *
   * @return the secret
   */
  public String clientSecret() {
    return clientSecret;
  }

  /**
   * API-key credentials.
   *
   * @return credentials
   */
  public Credentials apiKeyCredentials() {
    return Credentials.apiKey(apiKey);
  }

  /**
   * AK/SK signing credentials.
   *
   * @return credentials
   */
  public Credentials accessKeyCredentials() {
    return Credentials.accessKey(accessKeyId, secretAccessKey);
  }

  /**
   * OAuth2 client-credentials against the sandbox's token endpoint.
   *
   * @return credentials
   */
  public Credentials oauth2Credentials() {
    return Credentials.oauth2(URI.create(baseUrl + "/oauth2/token"), clientId, clientSecret);
  }

  /**
   * A client configuration for this tenant using its API key.
   *
   * @return the configuration
   */
  public ClientConfig clientConfig() {
    return ClientConfig.builder().endpoint(baseUrl).credentials(apiKeyCredentials()).build();
  }

  @Override
  public String toString() {
    return "SandboxTenant{name=" + name + ", accessKeyId=" + accessKeyId + ", clientId=" + clientId
        + ", secrets=REDACTED}";
  }
}
