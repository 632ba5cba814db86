package dev.twofactor.examples.demo.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Serves the few files under {@code /static/} from the class path (no CDN, no front-end build). */
public final class StaticFiles extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Map<String, String> FILES = Map.of(
            "/app.css", "text/css",
            "/app.js", "text/javascript",
            "/favicon.svg", "image/svg+xml");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getPathInfo();
        String type = name == null ? null : FILES.get(name);
        InputStream in = type == null ? null : StaticFiles.class.getResourceAsStream("/static" + name);
        if (in == null) {
            response.sendError(404);
            return;
        }
        try (in) {
            byte[] body = in.readAllBytes();
            response.setContentType(type);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "max-age=300");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
