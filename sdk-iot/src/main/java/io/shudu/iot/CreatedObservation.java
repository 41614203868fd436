package io.shudu.iot;

/**
 * A row of a dataArray create that the platform stored.
 *
 * @param index the row's index in the list passed to {@link IotObservations#createDataArray}
 * @param id the new observation's {@code @iot.id}
 */
public record CreatedObservation(int index, long id) {}
