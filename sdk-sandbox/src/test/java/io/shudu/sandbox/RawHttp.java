package io.shudu.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Sends hand-written HTTP/1.1 bytes over a socket, for requests no client library would send. */
final class RawHttp {
  /** What came back: the raw bytes (possibly none), and the parsed status (0 when there was no status line). */
  record Answer(byte[] raw, int status, String head, String body) {
    String text() {
      return new String(raw, StandardCharsets.ISO_8859_1);
    }
  }

  private RawHttp() {}

  static Answer send(URI base, String request) throws IOException {
    return send(base, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Answer send(URI base, byte[] request) throws IOException {
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) != -1) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // a reset or a server that keeps the connection: what arrived so far is the answer
      }
      byte[] raw = got.toByteArray();
      String text = new String(raw, StandardCharsets.UTF_8);
      int status = 0;
      if (text.startsWith("HTTP/1.")) {
        status = Integer.parseInt(text.substring(9, 12));
      }
      int split = text.indexOf("\r\n\r\n");
      return new Answer(raw, status, split < 0 ? text : text.substring(0, split),
          split < 0 ? "" : text.substring(split + 4));
    }
  }
}
