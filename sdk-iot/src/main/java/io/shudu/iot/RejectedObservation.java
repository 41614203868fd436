package io.shudu.iot;

/**
 * A row of a dataArray create that the platform rejected (not stored).
 *
 * @param index the row's index in the list passed to {@link IotObservations#createDataArray}
 * @param problem why, as far as the platform says (SensorThings answers only {@code "error"} for a row; create
 *     the observation alone with {@link IotObservations#create(long, Observation)} to get the full problem)
 */
public record RejectedObservation(int index, String problem) {}
