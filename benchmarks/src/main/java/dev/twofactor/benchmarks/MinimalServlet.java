package dev.twofactor.benchmarks;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * The least servlet machinery that lets {@link dev.twofactor.servlet.TwoFactorFilter} run outside a container: a
 * request with a path, a method, headers, attributes and a session; a session with attributes; a response that only
 * records a status. Everything the filter might call and these do not implement fails loudly (the wrappers delegate
 * to a proxy that throws), so a benchmark cannot silently take a path nobody looked at.
 *
 * <p>Calling the filter directly measures the filter alone: in a container, its cost would be a few hundred
 * nanoseconds inside tens of microseconds of HTTP parsing and I/O, and the difference would drown in their noise.
 */
final class MinimalServlet {

    private static final AtomicLong SESSION_IDS = new AtomicLong();

    private MinimalServlet() {
    }

    private static <T> T unsupported(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(MinimalServlet.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName()
                            + " is not implemented by the benchmark's minimal servlet objects");
                }));
    }

    /** A session held in memory. */
    static final class Session implements HttpSession {
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();
        private final long created = System.currentTimeMillis();
        private String id = "session-" + SESSION_IDS.incrementAndGet();
        private boolean valid = true;

        String changeId() {
            id = "session-" + SESSION_IDS.incrementAndGet();
            return id;
        }

        private void checkValid() {
            if (!valid) {
                throw new IllegalStateException("Session invalidated");
            }
        }

        @Override
        public long getCreationTime() {
            return created;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public long getLastAccessedTime() {
            return created;
        }

        @Override
        public ServletContext getServletContext() {
            throw new UnsupportedOperationException("No servlet context");
        }

        @Override
        public void setMaxInactiveInterval(int interval) {
        }

        @Override
        public int getMaxInactiveInterval() {
            return 1800;
        }

        @Override
        public Object getAttribute(String name) {
            checkValid();
            return attributes.get(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            checkValid();
            return Collections.enumeration(attributes.keySet());
        }

        @Override
        public void setAttribute(String name, Object value) {
            checkValid();
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public void removeAttribute(String name) {
            checkValid();
            attributes.remove(name);
        }

        @Override
        public void invalidate() {
            checkValid();
            valid = false;
            attributes.clear();
        }

        @Override
        public boolean isNew() {
            return false;
        }
    }

    /** A request to one path of the application at the root context. */
    static final class Request extends HttpServletRequestWrapper {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new HashMap<>();
        private final Map<String, Object> attributes = new HashMap<>();
        private Session session;

        Request(String method, String path, Session session) {
            super(unsupported(HttpServletRequest.class));
            this.method = method;
            this.path = path;
            this.session = session;
        }

        Request header(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        Session session() {
            return session;
        }

        @Override
        public String getMethod() {
            return method;
        }

        @Override
        public String getRequestURI() {
            return path;
        }

        @Override
        public StringBuffer getRequestURL() {
            return new StringBuffer("http://localhost").append(path);
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public String getContextPath() {
            return "";
        }

        @Override
        public String getServletPath() {
            return path;
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            return value == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(value));
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public DispatcherType getDispatcherType() {
            return DispatcherType.REQUEST;
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public String getRemoteUser() {
            return null;
        }

        @Override
        public java.security.Principal getUserPrincipal() {
            return null;
        }

        @Override
        public HttpSession getSession(boolean create) {
            if (session != null && !session.valid) {
                session = null;
            }
            if (session == null && create) {
                session = new Session();
            }
            return session;
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }

        @Override
        public String changeSessionId() {
            if (session == null || !session.valid) {
                throw new IllegalStateException("No session");
            }
            return session.changeId();
        }

        @Override
        public boolean isRequestedSessionIdValid() {
            return session != null && session.valid;
        }
    }

    /** A response that records the status and the headers, and nothing else. */
    static final class Response extends HttpServletResponseWrapper {
        private int status = 200;
        private final Map<String, String> headers = new HashMap<>();

        Response() {
            super(unsupported(HttpServletResponse.class));
        }

        int status() {
            return status;
        }

        @Override
        public void setStatus(int status) {
            this.status = status;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public void sendRedirect(String location) {
            status = 302;
            headers.put("Location", location);
        }

        @Override
        public boolean isCommitted() {
            return false;
        }
    }
}
