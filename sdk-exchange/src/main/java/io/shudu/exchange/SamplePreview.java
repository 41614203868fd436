package io.shudu.exchange;

import java.util.List;

/**
 * A few sample rows.
 *
 * @param columns column names
 * @param rows rows of values
 */
public record SamplePreview(List<String> columns, List<List<String>> rows) {
  /** Copies lists. */
  public SamplePreview {
    columns = columns == null ? List.of() : List.copyOf(columns);
    rows = rows == null ? List.of() : List.copyOf(rows);
  }
}
