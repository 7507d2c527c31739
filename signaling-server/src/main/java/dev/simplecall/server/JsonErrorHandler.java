package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it refuses before any endpoint runs (a path with an encoded NUL, {@code
 * %2F} or invalid UTF-8, broken chunked framing, headers too large): the same {@code error} envelope as
 * the API's own refusals, {@code too-large} for 413/414/431 and {@code bad-json} otherwise, instead of
 * Jetty's HTML page, which API clients cannot read.
 */
final class JsonErrorHandler extends ErrorHandler {
  /** Jetty writes no body for methods other than GET, POST and HEAD; the API's DELETE gets one too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, body(code, message), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return body(status, reason);
  }

  private static ByteBuffer body(int status, String message) {
    ErrorCode code = status == 413 || status == 414 || status == 431 ? ErrorCode.TOO_LARGE : ErrorCode.BAD_JSON;
    String text = "request refused (HTTP " + status + (message != null ? ": " + message : "") + ")";
    return ByteBuffer.wrap(EnvelopeCodec.encode(new Envelope.Error(Ids.newId(), null, null, code.wire(), text, null))
        .getBytes(StandardCharsets.UTF_8));
  }
}
