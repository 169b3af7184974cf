package io.gantry.ditto.software;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.kanto.json.JsonInput;
import io.gantry.ditto.protocol.DittoError;
import io.gantry.ditto.protocol.DittoException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a SoftwareUpdatable {@code install}: hawkBit's UpdateAction (reference/kanto-things.md §3.3), with
 * one container descriptor per artifact.
 */
public record UpdateAction(String correlationId, boolean forced, List<Module> modules) {

    public UpdateAction {
        Objects.requireNonNull(correlationId, "correlationId");
        modules = List.copyOf(modules);
    }

    /** A software module and its artifacts. */
    public record Module(SoftwareModule module, List<Artifact> artifacts) {
        public Module {
            Objects.requireNonNull(module, "module");
            artifacts = List.copyOf(artifacts);
        }
    }

    /** One downloadable artifact: where to get it and the checksums it must have ({@code MD5}, {@code SHA1}, …). */
    public record Artifact(String filename, URI url, Map<String, String> checksums) {
        public Artifact {
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(url, "url");
            checksums = Map.copyOf(checksums);
        }
    }

    /**
     * Reads and checks an UpdateAction: wrong JSON types are refused as unreadable (400), and so is an action
     * without modules, a module without artifacts (Kanto's messages), a module without {@code softwareModule} or an
     * artifact without an HTTP(S) URL (which crash Kanto).
     */
    public static UpdateAction fromJson(Optional<JsonNode> value) {
        JsonInput root = JsonInput.of(value.orElse(null), "").requireObject();
        String correlationId = root.field("correlationId").string("");
        boolean forced = root.field("forced").bool(false);
        List<JsonInput> moduleInputs = root.field("softwareModules").elements();
        if (moduleInputs.isEmpty()) {
            throw invalid("there are no SoftwareModules to be installed");
        }
        List<Module> modules = new ArrayList<>();
        for (JsonInput m : moduleInputs) {
            JsonInput id = m.requireObject().field("softwareModule").requireObject();
            if (id.isAbsent()) {
                throw invalid(id.path() + ": every software module needs its softwareModule (name and version)");
            }
            SoftwareModule module = new SoftwareModule(id.field("name").string(""), id.field("version").string(""));
            List<JsonInput> artifactInputs = m.field("artifacts").elements();
            if (artifactInputs.isEmpty()) {
                throw invalid("there are no SoftwareArtifacts referenced for SoftwareModule [Name.version] = ["
                        + module.name() + "." + module.version() + "]");
            }
            List<Artifact> artifacts = new ArrayList<>();
            for (JsonInput a : artifactInputs) {
                artifacts.add(artifact(a.requireObject()));
            }
            modules.add(new Module(module, artifacts));
        }
        return new UpdateAction(correlationId, forced, modules);
    }

    private static Artifact artifact(JsonInput a) {
        JsonInput download = a.field("download").requireObject();
        // Kanto fetches the HTTP link when there is one, else the HTTPS link; other keys are not used.
        Optional<String> url = download.field("HTTP").requireObject().field("url").string().filter(u -> !u.isBlank())
                .or(() -> download.field("HTTPS").requireObject().field("url").string().filter(u -> !u.isBlank()));
        if (url.isEmpty()) {
            throw invalid(download.path() + ": an artifact needs an HTTP or HTTPS url");
        }
        URI uri;
        try {
            uri = URI.create(url.get().trim());
        } catch (IllegalArgumentException e) {
            throw new DittoException(DittoError.parameterInvalid(download.path() + ": \"" + url.get()
                    + "\" is not a URL"), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw invalid(download.path() + ": \"" + url.get() + "\" is not an http:// or https:// URL");
        }
        return new Artifact(a.field("filename").string(""), uri, a.field("checksums").stringMap());
    }

    private static DittoException invalid(String message) {
        return new DittoException(DittoError.parameterInvalid(message));
    }
}
