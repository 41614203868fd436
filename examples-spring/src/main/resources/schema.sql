-- Road closures recorded from the traffic feed. Deliberately no unique key on event_id: exactly-once comes from the
-- feed checkpoint committing in the same transaction (the tests count rows per event to prove it).
CREATE TABLE IF NOT EXISTS road_closures (
  event_id       BIGINT       NOT NULL,
  observation_id BIGINT,
  road           VARCHAR(40)  NOT NULL,
  closed         BOOLEAN      NOT NULL,
  announced_at   TIMESTAMP    NOT NULL
);
