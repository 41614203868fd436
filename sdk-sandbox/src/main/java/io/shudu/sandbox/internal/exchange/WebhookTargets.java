package io.shudu.sandbox.internal.exchange;

import io.shudu.sandbox.internal.http.Problem;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * Where the sandbox may POST webhooks: public addresses only, unless the tenant's sandbox settings allow private
 * targets ({@code allowPrivateWebhookTargets}); loopback, private (RFC 1918, unique-local, carrier-grade NAT),
 * link-local, unspecified, multicast and reserved addresses are refused when a webhook is registered and again when
 * each delivery connects (a name that later resolves to such an address is refused too). Redirects are never
 * followed: a 3xx answer is a failed delivery.
 */
final class WebhookTargets {
  /** The setting that lets a tenant's webhooks reach loopback and private addresses. */
  static final String SETTING = "allowPrivateWebhookTargets";

  private final OkHttpClient any;
  private final OkHttpClient publicOnly;

  WebhookTargets() {
    any = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false)
        .followRedirects(false).followSslRedirects(false).proxy(Proxy.NO_PROXY).build();
    publicOnly = any.newBuilder().dns(host -> {
      List<InetAddress> all = Dns.SYSTEM.lookup(host);
      for (InetAddress a : all) {
        String why = refused(a);
        if (why != null) {
          throw new UnknownHostException("refused: " + host + " resolves to " + a.getHostAddress() + ", a " + why
              + " address; set " + SETTING + " in the sandbox settings to allow it");
        }
      }
      return all;
    }).build();
  }

  /** The client for a tenant: it connects to private addresses only when the tenant allows them. */
  OkHttpClient client(boolean allowPrivate) {
    return allowPrivate ? any : publicOnly;
  }

  /**
   * Why a delivery to this URL must not be attempted (an IP literal, or a name that resolves to a refused address),
   * or null when it may be.
   */
  static String refusal(String url) {
    String host;
    try {
      host = URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return "refused: the url is not valid";
    }
    if (host == null || host.isEmpty()) {
      return "refused: the url has no host";
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException | SecurityException e) {
      return null; // not resolvable now: each delivery resolves again and is refused if it leads to such an address
    }
    for (InetAddress a : addresses) {
      String why = refused(a);
      if (why != null) {
        String address = a.getHostAddress();
        return "refused: " + (address.equalsIgnoreCase(host) ? host + " is" : host + " resolves to " + address + ",")
            + " a " + why + " address";
      }
    }
    return null;
  }

  /** Checks a URL at registration; a refused target is a 400 problem that says how to allow it. */
  static void check(String url, boolean allowPrivate) {
    if (allowPrivate) {
      return;
    }
    String why = refusal(url);
    if (why != null) {
      throw Problem.validation("url", "The webhook url is refused: " + why.substring("refused: ".length())
          + ". The sandbox calls only public addresses. For a receiver on this machine or your private network, first allow it "
          + "for this tenant: PUT /exchange/v1/sandbox/settings {\"" + SETTING + "\": true}.")
          .with("setting", SETTING);
    }
  }

  /** Why an address is refused (loopback, private, ...), or null for a public unicast address. */
  static String refused(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if (b0 == 0 || b0 >= 240) {
        return "reserved";
      }
      if (b0 == 100 && b1 >= 64 && b1 <= 127) {
        return "private (carrier-grade NAT)";
      }
      return null;
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "private (unique local)";
      }
      // IPv4 embedded in IPv6 (compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::): judge the IPv4
      byte[] v4 = null;
      if (allZero(b, 0, 12)) {
        v4 = new byte[] {b[12], b[13], b[14], b[15]};
      } else if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
          && allZero(b, 4, 12)) {
        v4 = new byte[] {b[12], b[13], b[14], b[15]};
      } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
        v4 = new byte[] {b[2], b[3], b[4], b[5]};
      }
      if (v4 != null) {
        try {
          String why = refused(InetAddress.getByAddress(v4));
          return why == null ? null : why + " (IPv4 inside IPv6)";
        } catch (UnknownHostException e) {
          return "reserved";
        }
      }
    }
    return null;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
