package io.shudu.kafka.connect;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One feed of a task, with the keys it carries (empty: every event of the feed), and its encoding in the task
 * configuration: {@code feed=key,key;feed2=} with URL-encoded parts.
 *
 * @param feed the feed
 * @param keys the keys, or empty for the whole feed
 */
record Assignment(String feed, List<String> keys) {

  static String encode(List<Assignment> assignments) {
    StringBuilder sb = new StringBuilder();
    for (Assignment a : assignments) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(enc(a.feed())).append('=');
      for (int i = 0; i < a.keys().size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(enc(a.keys().get(i)));
      }
    }
    return sb.toString();
  }

  static List<Assignment> decode(String s) {
    List<Assignment> out = new ArrayList<>();
    if (s == null || s.isEmpty()) {
      return out;
    }
    for (String part : s.split(";", -1)) {
      int eq = part.indexOf('=');
      String feed = dec(part.substring(0, eq));
      List<String> keys = new ArrayList<>();
      String rest = part.substring(eq + 1);
      if (!rest.isEmpty()) {
        for (String k : rest.split(",", -1)) {
          keys.add(dec(k));
        }
      }
      out.add(new Assignment(feed, List.copyOf(keys)));
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
