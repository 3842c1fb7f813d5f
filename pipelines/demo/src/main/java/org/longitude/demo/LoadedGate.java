package org.longitude.demo;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Holds each request until the clinic's data are loaded ({@link DemoClinic#startLoading}), and
 * answers 503 with the reason when they could not be: a clinic serves from the start, never
 * from half its data.
 */
final class LoadedGate implements Filter {
  private final String clinic;
  private final CompletableFuture<Void> loaded;

  LoadedGate(String clinic, CompletableFuture<Void> loaded) {
    this.clinic = clinic;
    this.loaded = loaded;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      loaded.get();
    } catch (ExecutionException e) {
      ((HttpServletResponse) response).sendError(503, "demo clinic " + clinic
          + " could not load its data: " + e.getCause().getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ((HttpServletResponse) response).sendError(503, "demo clinic " + clinic + " is stopping");
      return;
    }
    chain.doFilter(request, response);
  }
}
