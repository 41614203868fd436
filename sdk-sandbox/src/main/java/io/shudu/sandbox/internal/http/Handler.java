package io.shudu.sandbox.internal.http;

/** Handles one sandbox request. Throw {@link Problem} for 4xx answers. */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
