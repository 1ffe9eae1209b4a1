package dev.keyhaven.server.auth;

import dev.keyhaven.server.actor.ClientInfo;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Works out once per request which address the client has (see {@link TrustedProxies}) and keeps
 * it on the request, where {@link ClientInfo#ip} finds it. Each server instance has its own
 * filter, so two servers in one JVM (as in the tests) can trust different proxies.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class ClientAddressFilter extends OncePerRequestFilter {
    private final ObjectProvider<TrustedProxies> source;
    private volatile TrustedProxies proxies;

    /**
     * Resolved on the first request: filters are built while the web server starts, and a bad
     * setting must fail start-up with its one-line message, which the {@link TrustedProxies} bean does.
     */
    public ClientAddressFilter(ObjectProvider<TrustedProxies> source) {
        this.source = source;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TrustedProxies proxies = this.proxies;
        if (proxies == null) {
            proxies = source.getObject();
            this.proxies = proxies;
        }
        String socket = request.getRemoteAddr();
        String client =
                proxies.isEmpty() ? socket : proxies.clientAddress(socket, request.getHeaders(TrustedProxies.HEADER));
        request.setAttribute(ClientInfo.ATTRIBUTE, client);
        chain.doFilter(request, response);
    }
}
