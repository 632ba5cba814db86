package dev.twofactor.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request written byte for byte on a socket: unlike {@code java.net.http}, it sends any request target
 * and any header value (control characters, non-ASCII as UTF-8), as an attacker's client would.
 */
final class RawHttp {

    record Response(int status, String head, String body) {
    }

    private RawHttp() {
    }

    static Response get(URI base, String target, String accept, String authorization, String sessionId) {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getAuthority()).append("\r\n");
        if (accept != null) {
            request.append("Accept: ").append(accept).append("\r\n");
        }
        if (authorization != null) {
            request.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (sessionId != null) {
            request.append("Cookie: JSESSIONID=").append(sessionId).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String text = bytes.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            int status = head.startsWith("HTTP/1.1 ") && head.length() >= 12
                    ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Response(status, head, body);
        } catch (IOException e) {
            return new Response(-1, "connection closed: " + e.getMessage(), ""); // Jetty may drop a broken request
        }
    }
}
