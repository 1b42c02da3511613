package io.soci4j.registry.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * Runs a call so that interrupting the calling thread cancels it. OkHttp's blocking
 * {@code execute()} does not react to interrupts while it waits for a server (OkHttp recommends
 * {@link Call#cancel()}), so the call runs on the dispatcher and the caller waits on a future,
 * cancelling the call when interrupted. The body is then read by the caller, where Okio checks
 * the interrupt flag between reads.
 */
final class InterruptibleCall {
  private InterruptibleCall() {}

  static Response execute(Call call) throws IOException {
    CompletableFuture<Response> result = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        if (!result.complete(response)) {
          response.close(); // nobody waits any more
        }
      }

      @Override
      public void onFailure(Call c, IOException e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get();
    } catch (InterruptedException e) {
      call.cancel();
      if (!result.completeExceptionally(e)) {
        result.thenAccept(Response::close);
      }
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + call.request().method() + " "
          + io.soci4j.registry.internal.auth.Origins.withoutQuery(call.request().url()));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        io.addSuppressed(new Exception("the call was waited for here"));
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
  }
}
