package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;

/** {@code ApiResponse.readBody} reads what {@code ResponseBody.bytes()} reads and fails where and as it fails. */
class ReadBodyTest {

  /** A body of {@code content} that declares {@code declared} bytes, delivered in small reads of random sizes. */
  static ResponseBody body(byte[] content, long declared, long seed) {
    Random rnd = new Random(seed);
    Buffer all = new Buffer().write(content);
    Source trickle = new ForwardingSource(all) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        return super.read(sink, Math.min(byteCount, 1 + rnd.nextInt(3000)));
      }
    };
    BufferedSource source = Okio.buffer(trickle);
    return new ResponseBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public long contentLength() {
        return declared;
      }

      @Override
      public BufferedSource source() {
        return source;
      }
    };
  }

  /** A body that fails after {@code cut} of its bytes, as a connection closed mid-body does. */
  static ResponseBody cut(byte[] content, int cut) {
    Buffer first = new Buffer().write(content, 0, cut);
    Source failing = new ForwardingSource(first) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        long n = super.read(sink, byteCount);
        if (n < 0) {
          throw new java.net.ProtocolException("unexpected end of stream");
        }
        return n;
      }
    };
    BufferedSource source = Okio.buffer(failing);
    return new ResponseBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public long contentLength() {
        return content.length;
      }

      @Override
      public BufferedSource source() {
        return source;
      }
    };
  }

  static Object outcome(ThrowingRead read) {
    try {
      return read.read();
    } catch (IOException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  interface ThrowingRead {
    byte[] read() throws IOException;
  }

  @Test
  void readsWhatBytesReadsForRandomBodiesAndDeclaredLengths() {
    Random rnd = new Random(3);
    for (int i = 0; i < 2000; i++) {
      int size = rnd.nextInt(4) == 0 ? rnd.nextInt(10) : rnd.nextInt(100_000);
      byte[] content = new byte[size];
      rnd.nextBytes(content);
      long declared = switch (rnd.nextInt(6)) {
        case 0 -> -1; // unknown (chunked)
        case 1 -> size + 1 + rnd.nextInt(100);
        case 2 -> Math.max(0, size - 1 - rnd.nextInt(100));
        default -> size;
      };
      long seed = rnd.nextLong();
      Object expected = outcome(() -> body(content, declared, seed).bytes());
      Object actual = outcome(() -> ApiResponse.readBody(body(content, declared, seed)));
      if (expected instanceof byte[] e) {
        assertThat(actual).as("size %s declared %s", size, declared).isInstanceOf(byte[].class);
        assertThat((byte[]) actual).isEqualTo(e);
      } else {
        assertThat(actual).as("size %s declared %s", size, declared).isEqualTo(expected);
      }
    }
  }

  @Test
  void aBodyCutMidwayFailsWithTheTransportsException() {
    byte[] content = new byte[50_000];
    new Random(5).nextBytes(content);
    for (int cutAt : new int[] {0, 1, 8191, 8192, 30_000, 49_999}) {
      Throwable viaBytes = catchThrowable(() -> cut(content, cutAt).bytes());
      Throwable viaRead = catchThrowable(() -> ApiResponse.readBody(cut(content, cutAt)));
      assertThat(viaRead).isInstanceOf(java.net.ProtocolException.class).hasMessage(viaBytes.getMessage());
    }
  }
}
