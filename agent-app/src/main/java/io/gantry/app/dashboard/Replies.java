package io.gantry.app.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How the dashboard answers and reads an HTTP exchange: the security headers on every answer, bodies read up to a
 * limit, forms decoded strictly. Every failure is an {@link HttpProblem} with a 4xx status.
 */
final class Replies {

    /** Nothing a page sends is larger: a login form, a CSRF token, a confirmation. */
    static final int MAX_BODY = 16 * 1024;
    static final int MAX_URI = 2048;

    /** Pages load only what the jar serves: no inline script, no other origin, no framing. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Replies() {
    }

    static void securityHeaders(HttpExchange exchange, boolean tls) {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on a form POST, which the
        // origin check must refuse.
        h.set("Referrer-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (tls) {
            h.set("Strict-Transport-Security", "max-age=31536000");
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void text(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    /** The request body, at most {@link #MAX_BODY} bytes. */
    static byte[] body(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new HttpProblem(400, "Content-Length is not a number");
            }
            if (declared > MAX_BODY) {
                throw new HttpProblem(413, "the request body is larger than " + MAX_BODY + " bytes");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new HttpProblem(413, "the request body is larger than " + MAX_BODY + " bytes");
            }
            return body;
        }
    }

    /** An {@code application/x-www-form-urlencoded} body; an empty body is an empty form. */
    static Map<String, String> form(HttpExchange exchange) throws IOException {
        byte[] body = body(exchange);
        Map<String, String> form = new HashMap<>();
        if (body.length == 0) {
            return form;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new HttpProblem(415, "expected a form (application/x-www-form-urlencoded)");
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (form.putIfAbsent(name, value) != null) {
                    throw new HttpProblem(400, "the form field " + name + " is given twice");
                }
            } catch (IllegalArgumentException e) {
                throw new HttpProblem(400, "the form is not URL-encoded properly");
            }
        }
        return form;
    }

    /** The value of cookie {@code name}, or null. */
    static String cookie(HttpExchange exchange, String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }
}
