package io.shudu.iot;

import java.util.List;

/**
 * What a dataArray create ({@link IotObservations#createDataArray}) did with each row: the created ones with their
 * ids and the rejected ones with the platform's problem, each by its index in the list you passed. Rows the platform
 * rejected were not created; the others were, whatever happened to their neighbours.
 *
 * <pre>{@code
 * DataArrayResult r = iot.observations().createDataArray(datastreamId, rows);
 * if (!r.allCreated()) {
 *   r.rejected().forEach(x -> log.warn("row {} not stored: {}", x.index(), x.problem()));
 * }
 * }</pre>
 *
 * @param created the created rows, in order
 * @param rejected the rejected rows, in order
 */
public record DataArrayResult(List<CreatedObservation> created, List<RejectedObservation> rejected) {
  /** Copies the lists. */
  public DataArrayResult {
    created = List.copyOf(created);
    rejected = List.copyOf(rejected);
  }

  /**
   * The ids of the created observations, in row order.
   *
   * @return the ids
   */
  public List<Long> createdIds() {
    return created.stream().map(CreatedObservation::id).toList();
  }

  /**
   * Whether every row was created.
   *
   * @return true when nothing was rejected
   */
  public boolean allCreated() {
    return rejected.isEmpty();
  }
}
