package dev.twofactor.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Browser page requests handed straight to a {@link TwoFactorFilter} (no container), for tests that send thousands
 * of them: a session with attributes, a {@code GET} (or {@code POST}) of a path asking for HTML, a response that
 * records its status and {@code Location}. Every servlet method these stand-ins do not implement throws, so a test
 * cannot take an unexamined path.
 */
final class DirectRequests {

    private static final AtomicInteger SESSION_IDS = new AtomicInteger();

    private DirectRequests() {
    }

    /** A browser's session: its attributes live as long as it is valid. */
    static final class Session {
        final Map<String, Object> attributes = new ConcurrentHashMap<>();
        boolean valid = true;
        final HttpSession session = proxy(HttpSession.class, (method, args) -> {
            if (!valid && !method.equals("getId")) {
                throw new IllegalStateException("invalidated");
            }
            return switch (method) {
                case "getAttribute" -> attributes.get((String) args[0]);
                case "setAttribute" -> attributes.put((String) args[0], args[1]);
                case "removeAttribute" -> attributes.remove((String) args[0]);
                case "invalidate" -> {
                    valid = false;
                    attributes.clear();
                    yield null;
                }
                case "getId" -> "session-" + SESSION_IDS.incrementAndGet();
                default -> throw new UnsupportedOperationException("HttpSession." + method);
            };
        });

        /** @return a browser request of this session */
        HttpServletRequest request(String method, String path) {
            return DirectRequests.request(method, path, this);
        }
    }

    /** A recorded answer. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final HttpServletResponse response = proxy(HttpServletResponse.class, (method, args) -> switch (method) {
            case "setStatus" -> {
                status = (Integer) args[0];
                yield null;
            }
            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
            case "isCommitted" -> false;
            default -> throw new UnsupportedOperationException("HttpServletResponse." + method);
        });

        /** @return the redirect target, or {@code null} */
        String location() {
            return status == 302 ? headers.get("Location") : null;
        }
    }

    static HttpServletRequest request(String httpMethod, String path, Session browser) {
        Map<String, Object> attributes = new HashMap<>();
        return proxy(HttpServletRequest.class, (method, args) -> switch (method) {
            case "getDispatcherType" -> DispatcherType.REQUEST;
            case "getMethod" -> httpMethod;
            case "getServletPath" -> path;
            case "getPathInfo", "getQueryString" -> null;
            case "getContextPath" -> "";
            case "getRequestURI" -> path;
            case "getHeader" -> "Accept".equalsIgnoreCase((String) args[0]) ? "text/html" : null;
            case "getSession" -> browser.valid || args == null || (Boolean) args[0] ? browserSession(browser) : null;
            case "changeSessionId" -> browser.session.getId();
            case "getAttribute" -> attributes.get((String) args[0]);
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            case "removeAttribute" -> attributes.remove((String) args[0]);
            case "getRemoteUser" -> null;
            default -> throw new UnsupportedOperationException("HttpServletRequest." + method);
        });
    }

    private static HttpSession browserSession(Session browser) {
        if (!browser.valid) {
            browser.attributes.clear();
            browser.valid = true;
        }
        return browser.session;
    }

    private interface Handler {
        Object handle(String method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        return type.cast(Proxy.newProxyInstance(DirectRequests.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getDeclaringClass() == Object.class
                        ? switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> type.getSimpleName();
                        }
                        : handler.handle(method.getName(), args)));
    }
}
