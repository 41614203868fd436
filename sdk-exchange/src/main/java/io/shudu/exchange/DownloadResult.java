package io.shudu.exchange;

/**
 * A verified download.
 *
 * @param deliveryId delivery
 * @param bytes bytes
 * @param merkleRoot verified Merkle root
 * @param receipt the verified receipt
 * @param resumes how many times the transfer resumed after an interruption
 * @param resumedFrom bytes already present in the target file and verified before downloading
 */
public record DownloadResult(String deliveryId, long bytes, String merkleRoot, Receipt receipt, int resumes,
    long resumedFrom) {}
