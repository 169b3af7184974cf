package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotAcceptableException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Engine API calls made straight through docker-java's HTTP transport, for what docker-java's typed commands cannot
 * do or cannot read leniently: one-shot stats, the raw event stream, container JSON read as a tree (so an odd
 * container made by hand never breaks deserialisation) and create/update bodies written field by field.
 *
 * <p>Paths carry no API version, so the engine answers with its own (1.41 on Debian 12's docker.io); error
 * statuses become docker-java's exceptions, so that {@link DockerCalls} translates both kinds in one place.
 */
final class DockerApi {

    private final DockerHttpClient http;
    private final ObjectMapper json;

    DockerApi(DockerHttpClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    JsonNode get(String path) {
        return call(DockerHttpClient.Request.Method.GET, path, null);
    }

    JsonNode post(String path, JsonNode body) {
        return call(DockerHttpClient.Request.Method.POST, path, body);
    }

    JsonNode post(String path) {
        return call(DockerHttpClient.Request.Method.POST, path, null);
    }

    JsonNode delete(String path) {
        return call(DockerHttpClient.Request.Method.DELETE, path, null);
    }

    /** Opens a streaming response (the event stream); the caller reads and closes it. */
    DockerHttpClient.Response open(String path) {
        DockerHttpClient.Response response = http.execute(request(DockerHttpClient.Request.Method.GET, path, null));
        if (response.getStatusCode() / 100 != 2) {
            try (response) {
                throw failure(response.getStatusCode(), read(response.getBody()));
            }
        }
        return response;
    }

    private JsonNode call(DockerHttpClient.Request.Method method, String path, JsonNode body) {
        try (DockerHttpClient.Response response = http.execute(request(method, path, body))) {
            JsonNode answer = read(response.getBody());
            if (response.getStatusCode() / 100 != 2) {
                throw failure(response.getStatusCode(), answer);
            }
            return answer;
        }
    }

    private DockerHttpClient.Request request(DockerHttpClient.Request.Method method, String path, JsonNode body) {
        DockerHttpClient.Request.Builder builder = DockerHttpClient.Request.builder().method(method).path(path);
        if (body != null) {
            try {
                builder.putHeader("Content-Type", "application/json").bodyBytes(json.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return builder.build();
    }

    private JsonNode read(InputStream body) {
        try {
            byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
            if (bytes.length == 0) {
                return NullNode.getInstance();
            }
            try {
                return json.readTree(bytes);
            } catch (IOException notJson) {
                // Some errors come as plain text (a proxy in front of the engine, a 404 from an old engine).
                return json.getNodeFactory().objectNode().put("message", new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The causes with which Podman answers 500 where Docker answers 409 Conflict (libpod's {@code ErrCtrStateInvalid}
     * and {@code ErrCtrExists}): a container in the wrong state, a name in use.
     */
    private static final Set<String> PODMAN_CONFLICTS = Set.of("container state improper",
            "that name is already in use");

    private static DockerException failure(int status, JsonNode answer) {
        String message = answer.path("message").asText("HTTP status " + status).strip();
        if (status == 500 && PODMAN_CONFLICTS.contains(answer.path("cause").asText(""))) {
            return new ConflictException(message);
        }
        return switch (status) {
            case 304 -> new NotModifiedException(message);
            case 400 -> new BadRequestException(message);
            case 401 -> new UnauthorizedException(message);
            case 404 -> new NotFoundException(message);
            case 406 -> new NotAcceptableException(message);
            case 409 -> new ConflictException(message);
            case 500 -> new InternalServerErrorException(message);
            default -> new DockerException(message, status);
        };
    }
}
