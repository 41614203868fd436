package io.shudu.sandbox.internal.exchange;

import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery content: generated on the fly, chunk by chunk, from a seeded PRNG (never held in memory), with per-chunk
 * SHA-256 leaf hashes and a Merkle root, served with HTTP Range support.
 */
final class Deliveries {
  static final int CHUNK_SIZE = 1024 * 1024;
  /** SplittableRandom's gamma for a generator made from a seed. */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
      ByteOrder.LITTLE_ENDIAN);

  record Manifest(String productId, String version, long size, int chunkSize, List<String> chunkHashes, String root) {}

  record ContentFault(String kind, long atByte) {}

  private final long seed;
  private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
  final Map<String, ContentFault> faults = new ConcurrentHashMap<>();

  Deliveries(long seed) {
    this.seed = seed;
  }

  private long contentSeed(String productId, String version) {
    return seed * 0x9E3779B97F4A7C15L ^ (productId + "@" + version).hashCode() * 0xC2B2AE3D27D4EB4FL;
  }

  /** Fills {@code buf} with chunk {@code index} of the content (its first {@code len} bytes are used). */
  void chunk(String productId, String version, long index, byte[] buf) {
    fill(seedOf(productId, version, index), buf);
  }

  /** The generator seed of chunk {@code index}. */
  long seedOf(String productId, String version, long index) {
    return contentSeed(productId, version) + index * 0x632BE59BD9B4E019L;
  }

  /**
   * Fills {@code buf} with exactly the bytes of {@code new SplittableRandom(seed).nextBytes(buf)}, eight at a time:
   * the JDK's version stores them one by one and ran at about 1 GiB/s, which made generating the content as costly as
   * hashing it (and the sandbox's writer the busiest thread of a download on the same machine). Same generator
   * (SplitMix64 with the golden gamma, little-endian words, the tail from one more word), so contents, hashes and
   * Merkle roots are unchanged.
   */
  static void fill(long seed, byte[] buf) {
    long s = seed;
    int n = buf.length;
    int i = 0;
    for (; i <= n - Long.BYTES; i += Long.BYTES) {
      s += GOLDEN_GAMMA;
      LONG_LE.set(buf, i, mix64(s));
    }
    if (i < n) {
      s += GOLDEN_GAMMA;
      long r = mix64(s);
      for (; i < n; i++, r >>>= Byte.SIZE) {
        buf[i] = (byte) r;
      }
    }
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  Manifest manifest(String productId, String version, long size) {
    return manifests.computeIfAbsent(productId + "@" + version, k -> compute(productId, version, size));
  }

  private Manifest compute(String productId, String version, long size) {
    byte[] buf = new byte[CHUNK_SIZE];
    List<byte[]> leaves = new ArrayList<>();
    List<String> hex = new ArrayList<>();
    long chunks = (size + CHUNK_SIZE - 1) / CHUNK_SIZE;
    for (long i = 0; i < chunks; i++) {
      chunk(productId, version, i, buf);
      int len = (int) Math.min(CHUNK_SIZE, size - i * CHUNK_SIZE);
      MessageDigest md = ExchangeCrypto.leafDigest();
      md.update(buf, 0, len);
      byte[] h = md.digest();
      leaves.add(h);
      hex.add(HexFormat.of().formatHex(h));
    }
    return new Manifest(productId, version, size, CHUNK_SIZE, List.copyOf(hex), ExchangeCrypto.merkleRoot(leaves));
  }

  /** Serves the content (or a Range of it). */
  Response serve(String deliveryId, Manifest m, String range, String ifRange) {
    long size = m.size();
    String etag = "\"" + m.root() + "\"";
    long start = 0;
    long end = size - 1;
    boolean partial = false;
    if (range != null && (ifRange == null || ifRange.equals(etag))) {
      String r = range.trim();
      if (!r.startsWith("bytes=") || r.contains(",")) {
        throw new Problem(416, "range_not_satisfiable", "Range not satisfiable", "Only a single byte range "
            + "'bytes=<start>-[<end>]' is supported, got '" + range + "'.").header("Content-Range", "bytes */" + size);
      }
      String spec = r.substring(6);
      int dash = spec.indexOf('-');
      try {
        if (dash < 0) {
          throw new NumberFormatException();
        }
        if (dash == 0) {
          long suffix = Long.parseLong(spec.substring(1));
          start = Math.max(0, size - suffix);
        } else {
          start = Long.parseLong(spec.substring(0, dash));
          if (dash < spec.length() - 1) {
            end = Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
          }
        }
      } catch (NumberFormatException e) {
        throw new Problem(416, "range_not_satisfiable", "Range not satisfiable", "The Range header '" + range
            + "' is malformed; use 'bytes=<start>-'.").header("Content-Range", "bytes */" + size);
      }
      if (start >= size || start > end) {
        throw new Problem(416, "range_not_satisfiable", "Range not satisfiable", "The range starts at " + start
            + " but the content has " + size + " bytes.").header("Content-Range", "bytes */" + size);
      }
      partial = true;
    }
    long from = start;
    long to = end;
    ContentFault fault = faults.remove(deliveryId);
    // A "cut" is sent chunked and simply stops early: the client sees the body end before Content-Range's end.
    boolean cut = fault != null && fault.kind().equals("cut");
    Response resp = Response.stream(partial ? 206 : 200, "application/octet-stream", cut ? -1 : to - from + 1,
        out -> write(m, from, to, fault, out));
    resp.header("Accept-Ranges", "bytes").header("ETag", etag).header("X-Merkle-Root", m.root());
    if (partial) {
      resp.header("Content-Range", "bytes " + from + "-" + to + "/" + size);
    }
    return resp;
  }

  private void write(Manifest m, long from, long to, ContentFault fault, OutputStream out) throws IOException {
    byte[] buf = new byte[CHUNK_SIZE];
    long pos = from;
    while (pos <= to) {
      long index = pos / CHUNK_SIZE;
      int offset = (int) (pos - index * CHUNK_SIZE);
      chunk(m.productId(), m.version(), index, buf);
      int len = (int) Math.min(CHUNK_SIZE - offset, to - pos + 1);
      if (fault != null && fault.atByte() >= pos && fault.atByte() < pos + len) {
        int at = (int) (fault.atByte() - pos) + offset;
        if (fault.kind().equals("flip")) {
          buf[at] ^= 0x01;
        } else {
          out.write(buf, offset, at - offset);
          out.flush();
          return;
        }
      }
      out.write(buf, offset, len);
      pos += len;
    }
  }
}
