package io.shudu.exchange;

/** Progress of a download. */
@FunctionalInterface
public interface DownloadListener {
  /**
   * Called after each verified chunk and at the end.
   *
   * @param bytesDone bytes written so far (including bytes resumed from an earlier partial file)
   * @param totalBytes total size
   */
  void onProgress(long bytesDone, long totalBytes);
}
