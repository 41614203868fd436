package io.shudu.core.internal;

import io.shudu.core.ClientListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records every event, for assertions. */
final class Recorder implements ClientListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Attempt> started = new CopyOnWriteArrayList<>();
  final List<Attempt> ended = new CopyOnWriteArrayList<>();
  final List<Duration> delays = new CopyOnWriteArrayList<>();
  final List<String> reasons = new CopyOnWriteArrayList<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();

  @Override
  public void attemptStarted(Attempt a) {
    started.add(a);
    events.add("start " + a.attempt());
  }

  @Override
  public void attemptEnded(Attempt a) {
    ended.add(a);
    events.add("end " + a.attempt() + " " + (a.error() == null ? a.status() : a.error().getClass().getSimpleName()));
  }

  @Override
  public void retryScheduled(Attempt failed, Duration delay, String reason) {
    delays.add(delay);
    reasons.add(reason);
    events.add("retry " + failed.attempt());
  }

  @Override
  public void callEnded(Call c) {
    calls.add(c);
    events.add("call " + c.attempts() + " " + c.status() + " "
        + (c.error() == null ? "ok" : c.error().getClass().getSimpleName()));
  }
}
