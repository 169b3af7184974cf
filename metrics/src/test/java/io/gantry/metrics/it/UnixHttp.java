package io.gantry.metrics.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** A minimal HTTP/1.1 GET over the engine's unix socket (JDK 16+ unix-domain channels), for test code only. */
final class UnixHttp {

    private final UnixDomainSocketAddress socket;

    UnixHttp(Path socket) {
        this.socket = UnixDomainSocketAddress.of(socket);
    }

    /** The body of {@code GET path}; an {@link IllegalStateException} for a status other than 200. */
    String get(String path) {
        byte[] raw;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(socket);
            String request = "GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            raw = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        String head = text.substring(0, headerEnd);
        int status = Integer.parseInt(head.substring(9, 12));
        String body = text.substring(headerEnd + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = unchunk(body);
        }
        body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        if (status == 404) {
            throw new NotFound(path);
        }
        if (status != 200) {
            throw new IllegalStateException("GET " + path + " answered " + status + ": " + body);
        }
        return body;
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** The engine answered 404. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String path) {
            super("not found: " + path);
        }
    }
}
