package org.longitude.demo;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Holds the flushes of a response's writer until its buffer fills or the response ends.
 * HAPI writes JSON through Jackson, which flushes after every value it writes, and Jetty sends
 * each flush as its own HTTP chunk: without this a search page of 100 resources went out as
 * some 2,300 chunks, one system call each, and cost the server and its client more than
 * encoding it.
 */
final class HeldFlushes implements Filter {
  private static final int BUFFER_CHARS = 32 * 1024;

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Buffered buffered = new Buffered((HttpServletResponse) response);
    chain.doFilter(request, buffered);
    buffered.finish();
  }

  private static final class Buffered extends HttpServletResponseWrapper {
    private HeldWriter held;
    private PrintWriter writer;

    Buffered(HttpServletResponse response) {
      super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (writer == null) {
        held = new HeldWriter(super.getWriter());
        writer = new PrintWriter(held);
      }
      return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
      if (held != null) {
        held.release();
      }
      super.flushBuffer();
    }

    /** Sends what the writer still holds (when the servlet did not close it). */
    void finish() throws IOException {
      if (held != null) {
        held.release();
      }
    }
  }

  /** A buffered writer whose {@code flush} waits for the buffer to fill or the close. */
  private static final class HeldWriter extends Writer {
    private final BufferedWriter out;
    private boolean closed;

    HeldWriter(Writer target) {
      this.out = new BufferedWriter(target, BUFFER_CHARS);
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      out.write(chars, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      out.write(text, offset, length);
    }

    @Override
    public void flush() {
      // held: see the class comment of HeldFlushes
    }

    void release() throws IOException {
      if (!closed) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        out.close();
      }
    }
  }
}
