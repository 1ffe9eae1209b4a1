package dev.keyhaven.server.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Outermost filter: gives the request its id (in the MDC for structured logs and in the
 * {@code x-request-id} header), refuses bodies over the size limit with 413, and turns the
 * JSON body of GET and DELETE requests into parameters (see {@link JsonBodyParamsRequest}), and
 * writes the request's {@link AccessLog} line once it is answered. Over TLS it adds
 * {@code Strict-Transport-Security}, so browsers keep to HTTPS for this host.
 */
public class ApiRequestFilter extends OncePerRequestFilter {
    /** Largest request body accepted; a single secret value is limited separately. */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** One year, without includeSubDomains: other hosts under the same domain are not ours to pin. */
    static final String HSTS = "max-age=31536000";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        String reqId = RequestIds.newId();
        request.setAttribute(RequestIds.ATTRIBUTE, reqId);
        response.setHeader("x-request-id", reqId);
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        MDC.put("reqId", reqId);
        boolean failed = true;
        try {
            handle(request, response, chain);
            failed = false;
        } finally {
            if (AccessLog.enabled()) {
                AccessLog.write(request, failed ? 500 : response.getStatus(), start, reqId);
            }
            MDC.remove("reqId");
        }
    }

    private static void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            ErrorWriter.write(
                    request, response, ApiException.tooLarge("Request body exceeds " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        JsonBodyParamsRequest wrapped;
        try {
            wrapped = JsonBodyParamsRequest.wrap(request, MAX_BODY_BYTES);
        } catch (ApiException e) {
            ErrorWriter.write(request, response, e);
            return;
        }
        chain.doFilter(wrapped, response);
    }
}
