package io.gantry.app.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's pages, script and style sheet, read once from the jar ({@code /dashboard/}): everything the browser
 * loads comes from here, nothing from the internet.
 */
final class StaticFiles {

    static final List<String> NAMES = List.of("index.html", "container.html", "form.html", "login.html", "app.js",
            "style.css");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files = new HashMap<>();

    StaticFiles() {
        for (String name : NAMES) {
            try (InputStream in = StaticFiles.class.getResourceAsStream("/dashboard/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dashboard's " + name, e);
            }
        }
    }

    void send(HttpExchange exchange, String name) throws IOException {
        byte[] body = files.get(name);
        if (body == null) {
            throw new HttpProblem(404, "not found");
        }
        Replies.send(exchange, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body);
    }

    /** The login page, with {@code message} (plain text) shown above the form when not empty. */
    byte[] loginPage(String message) {
        String page = new String(files.get("login.html"), StandardCharsets.UTF_8);
        String shown = message.isEmpty() ? "" : "<p class=\"problem\" id=\"problem\">" + escape(message) + "</p>";
        return page.replace("<!--message-->", shown).getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
