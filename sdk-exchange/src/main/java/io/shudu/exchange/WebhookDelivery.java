package io.shudu.exchange;

/**
 * One attempted delivery of an event to the endpoint.
 *
 * @param eventId event id (also sent as Shudu-Event-Id)
 * @param type event type
 * @param attempts attempts made
 * @param status last HTTP status, 0 when the endpoint was unreachable
 * @param delivered whether a 2xx was received
 * @param lastError the last failure, or null
 */
public record WebhookDelivery(String eventId, String type, int attempts, int status, boolean delivered,
    String lastError) {}
