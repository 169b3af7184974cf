package io.gantry.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.registry.SavedCredentials;
import io.gantry.kanto.json.JsonInput;
import io.gantry.core.file.BoundedFiles;
import io.gantry.update.deployment.DescriptorFile;
import io.gantry.update.deployment.DescriptorWriter;
import io.gantry.update.deployment.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's container form behind its endpoints: lists the descriptor files, loads one into the form's fields,
 * and writes the form as a descriptor file (docs/dashboard.md, "Creating and editing containers"). A form is checked
 * by {@link DescriptorFile#parse}, the very check the deployment makes, and is written only when it passes; the
 * deployment then deploys the file as any other (trust and policy included), and its refusal is shown beside the file.
 *
 * <p>Contract: every refusal is an {@link HttpProblem} (400 bad field or file name, 404 unknown file, 409 changed
 * meanwhile or not a form the editor writes, 422 with the errors by field as JSON). Stateless: the files are the one
 * source of truth; safe from any thread.
 */
final class DescriptorEditor {

    private static final Logger LOG = LoggerFactory.getLogger(DescriptorEditor.class);
    static final String REGISTRY_USER = "registry_user";
    /** Write-only: saved for the image's registry, never sent back to the browser. */
    static final String REGISTRY_PASSWORD = "registry_password";
    /** Fields a form may carry besides {@link DescriptorForm#FIELDS}. */
    private static final Set<String> META = Set.of("csrf", "file", "digest", REGISTRY_USER, REGISTRY_PASSWORD);

    private final Supplier<Path> directory;
    private final Function<String, Optional<String>> deploymentProblem;
    private final SavedCredentials credentials;

    DescriptorEditor(Supplier<Path> directory, Dashboard.Descriptors descriptors) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.deploymentProblem = descriptors.deploymentProblem();
        this.credentials = descriptors.credentials();
    }

    /** Every descriptor file: its container, whether it is enabled, and what keeps it from being deployed. */
    ObjectNode list() {
        Snapshot snapshot = Snapshot.read(directory.get());
        ObjectNode out = ContainerView.JSON.createObjectNode().put("directory", directory.get().toString())
                .put("readable", snapshot.directoryReadable()).put("directory_problem", snapshot.directoryProblem());
        ArrayNode files = out.putArray("files");
        for (DescriptorFile f : snapshot.files().values()) {
            ObjectNode row = files.addObject().put("file", f.name()).put("problem", f.problem())
                    .put("deployment_problem", deploymentProblem.apply(f.name()).orElse(""));
            f.descriptor().ifPresent(d -> row.put("container", d.container().value()).put("enabled", d.enabled())
                    .put("image", d.spec().image().text()).put("form", d.format() == DescriptorFile.Format.KANTO));
        }
        return out;
    }

    /** One file as the form's fields, with its digest (sent back on save) and its problems. */
    ObjectNode load(String fileName) throws IOException {
        DescriptorFile file = DescriptorWriter.read(directory.get(), checkedName(fileName))
                .orElseThrow(() -> new HttpProblem(404, "no descriptor file " + fileName));
        JsonNode root = editable(fileName);
        ObjectNode out = ContainerView.JSON.createObjectNode().put("file", fileName).put("digest", file.digest());
        ObjectNode fields = out.putObject("fields");
        DescriptorFields.of(root).forEach(fields::put);
        // credentials in the environment stay on the gateway; saving "NAME=****" keeps the value the file has
        fields.put("env", fields.path("env").asText("").lines().map(ContainerView::masked)
                .collect(java.util.stream.Collectors.joining("\n")));
        Optional<String> user = file.descriptor().flatMap(d -> credentials.user(d.spec().image().registry()));
        fields.put(REGISTRY_USER, user.orElse(""));
        out.put("registry_password_set", user.isPresent());
        out.put("deployment_problem", deploymentProblem.apply(fileName).orElse(""));
        putProblem(out, file.problem());
        return out;
    }

    /**
     * Writes the form as a descriptor file: a new one named after the container when {@code file} is empty, else the
     * loaded file (unchanged since, by its {@code digest}). Returns the file's name.
     */
    String save(Map<String, String> form, String who) throws IOException {
        Set<String> unknown = new HashSet<>(form.keySet());
        unknown.removeAll(DescriptorForm.FIELDS);
        unknown.removeAll(META);
        if (!unknown.isEmpty()) {
            throw new HttpProblem(400, "unknown form fields: " + String.join(", ", unknown.stream().sorted().toList()));
        }
        String existing = form.getOrDefault("file", "").trim();
        ObjectNode base = existing.isEmpty() ? ContainerView.JSON.createObjectNode()
                : (ObjectNode) editable(checkedName(existing));
        ObjectNode json;
        try {
            json = DescriptorForm.toJson(unmasked(form, base), base);
        } catch (DescriptorForm.FieldProblem p) {
            throw invalid(Map.of(p.field(), p.getMessage()), "");
        }
        String fileName = existing.isEmpty() ? json.path("container_name").asText("") + ".json" : existing;
        if (existing.isEmpty() && json.path("container_name").asText("").isEmpty()) {
            throw invalid(Map.of("name", "set a name: the container and its file (<name>.json) are named after it"), "");
        }
        byte[] content;
        try {
            content = ContainerView.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree cannot be written", e);
        }
        // The one check: what the deployment will say of this file.
        DescriptorFile parsed = DescriptorFile.parse(DescriptorWriter.isFileName(fileName) ? fileName : "form.json",
                content);
        if (!parsed.valid()) {
            throw invalid(Map.of(), parsed.problem());
        }
        if (!DescriptorWriter.isFileName(fileName)) {
            throw invalid(Map.of("name", "\"" + fileName + "\" cannot be a file name"), "");
        }
        saveCredentials(form, parsed.descriptor().orElseThrow().spec().image().registry(), who);
        try {
            DescriptorWriter.write(directory.get(), fileName, content,
                    existing.isEmpty() ? Optional.empty() : Optional.of(form.getOrDefault("digest", "")));
        } catch (DescriptorWriter.ChangedMeanwhile e) {
            throw new HttpProblem(409, e.getMessage());
        }
        LOG.info("Dashboard: descriptor file {} {} for {}", directory.get().resolve(fileName),
                existing.isEmpty() ? "created" : "changed", who);
        return fileName;
    }

    /** The form with each masked {@code NAME=****} environment line given back the value {@code base} has. */
    private static Map<String, String> unmasked(Map<String, String> form, ObjectNode base) {
        Map<String, String> kept = new java.util.HashMap<>();
        base.path("config").path("env").forEach(e -> {
            String variable = e.asText();
            if (!ContainerView.masked(variable).equals(variable)) {
                kept.put(ContainerView.masked(variable), variable);
            }
        });
        if (kept.isEmpty() || !form.containsKey("env")) {
            return form;
        }
        Map<String, String> out = new java.util.HashMap<>(form);
        out.put("env", form.get("env").lines().map(line -> kept.getOrDefault(line.trim(), line))
                .collect(java.util.stream.Collectors.joining("\n")));
        return out;
    }

    /** Registry credentials go to the saved credentials before the file is written, so that its pull finds them. */
    private void saveCredentials(Map<String, String> form, String registry, String who) throws IOException {
        String user = form.getOrDefault(REGISTRY_USER, "").trim();
        String password = form.getOrDefault(REGISTRY_PASSWORD, "");
        if (user.isEmpty()) {
            if (!password.isEmpty()) {
                throw invalid(Map.of(REGISTRY_USER, "enter the user name that goes with the password"), "");
            }
            return;
        }
        try {
            credentials.save(registry, user, password);
        } catch (IllegalArgumentException e) {
            throw invalid(Map.of(REGISTRY_PASSWORD, e.getMessage()), "");
        }
        LOG.info("Dashboard: registry credentials of {} for {} saved for {}", user, registry, who);
    }

    /** The JSON of a file the form can edit: Kanto's descriptor form, an object. */
    private JsonNode editable(String fileName) throws IOException {
        byte[] content;
        try {
            content = DescriptorWriter.content(directory.get(), fileName)
                    .orElseThrow(() -> new HttpProblem(404, "no descriptor file " + fileName));
        } catch (BoundedFiles.TooLargeException e) {
            throw new HttpProblem(409, fileName + " is too large for a descriptor file");
        }
        JsonNode root;
        try {
            root = JsonInput.read(content);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(409, fileName + " is not JSON (" + e.getMessage() + "); correct it in a text"
                    + " editor");
        }
        if (root == null || !root.isObject()) {
            throw new HttpProblem(409, fileName + " is not a JSON object; correct it in a text editor");
        }
        if (root.has("imageRef")) {
            throw new HttpProblem(409, fileName + " is in the createWithConfig form; the form edits Kanto's container"
                    + " descriptors only, edit this one in a text editor");
        }
        return root;
    }

    private static String checkedName(String fileName) {
        if (!DescriptorWriter.isFileName(fileName)) {
            throw new HttpProblem(400, "not a descriptor file name (letters, digits, _ . -, ending in .json)");
        }
        return fileName;
    }

    /** 422 with the errors by field; a problem of no one field goes under {@code problem}. */
    private static HttpProblem invalid(Map<String, String> byField, String problem) {
        ObjectNode body = ContainerView.JSON.createObjectNode();
        ObjectNode errors = body.putObject("errors");
        byField.forEach(errors::put);
        putProblem(body, problem);
        return new HttpProblem(422, body.toString(), "application/json");
    }

    private static void putProblem(ObjectNode out, String problem) {
        out.put("problem", problem);
        if (!problem.isEmpty()) {
            ObjectNode errors = out.has("errors") ? (ObjectNode) out.get("errors") : out.putObject("errors");
            DescriptorFields.fieldOf(problem).ifPresent(field -> errors.put(field, problem));
        }
    }
}
