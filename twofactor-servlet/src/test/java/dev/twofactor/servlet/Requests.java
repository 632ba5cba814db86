package dev.twofactor.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Minimal {@link HttpServletRequest} stand-ins for unit tests of request matchers (no container needed). */
final class Requests {

    private Requests() {
    }

    static HttpServletRequest request(String servletPath, String pathInfo, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(Requests.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "toString" -> "request " + servletPath + pathInfo;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static HttpServletRequest path(String path) {
        return request(path, null, Map.of());
    }

    static HttpServletRequest accept(String accept) {
        return request("/", null, accept == null ? Map.of() : Map.of("Accept", accept));
    }
}
