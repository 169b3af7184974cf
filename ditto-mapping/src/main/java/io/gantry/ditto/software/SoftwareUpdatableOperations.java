package io.gantry.ditto.software;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.command.ContainerCommands;
import io.gantry.core.concurrent.KeyedExecutor;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.kanto.json.ContainerDescriptorMapper;
import io.gantry.kanto.json.DescriptorException;
import io.gantry.ditto.feature.FeatureIds;
import io.gantry.ditto.inbound.FeatureOperations;
import io.gantry.ditto.inbound.Operation;
import io.gantry.ditto.protocol.DittoError;
import io.gantry.ditto.protocol.DittoException;
import io.gantry.ditto.software.OperationStatus.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SoftwareUpdatable feature's {@code install} and {@code remove} (reference/kanto-things.md §3.3). Both are
 * checked at once and answered 204; the work then runs in the background, one action at a time, and reports each
 * step as {@code lastOperation} (and a failure also as {@code lastFailedOperation}).
 */
public final class SoftwareUpdatableOperations implements FeatureOperations {

    private static final Logger LOG = LoggerFactory.getLogger(SoftwareUpdatableOperations.class);
    /** Installs and removes share one key: they run one after another, as Kanto serialises them. */
    private static final String KEY = FeatureIds.SOFTWARE_UPDATABLE;
    /** How long a remove waits for the twin to see the container gone before it reports REMOVED anyway. */
    private static final Duration REMOVAL_EVENT_WAIT = Duration.ofSeconds(5);

    private final ContainerCommands commands;
    private final ContainerEngine engine;
    private final ArtifactDownloader downloader;
    private final OperationReporter reporter;
    private final KeyedExecutor executor;

    public SoftwareUpdatableOperations(ContainerCommands commands, ContainerEngine engine,
                                       ArtifactDownloader downloader, OperationReporter reporter,
                                       KeyedExecutor executor) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public Optional<JsonNode> invoke(Operation operation) {
        switch (operation.name()) {
            case "install" -> {
                UpdateAction action = UpdateAction.fromJson(operation.value());
                // Queued behind this task on the same key, so the 204 goes out before the work starts.
                executor.execute(KEY, () -> install(action));
            }
            case "remove" -> {
                RemoveAction action = RemoveAction.fromJson(operation.value());
                executor.execute(KEY, () -> remove(action));
            }
            default -> throw new DittoException(DittoError.subjectNotFound(
                    "unsupported operation called [operationId = " + operation.name() + "]"));
        }
        return Optional.empty();
    }

    @Override
    public Object key(Operation operation) {
        return KEY;
    }

    private void install(UpdateAction action) {
        for (UpdateAction.Module module : action.modules()) {
            installModule(action.correlationId(), module);
        }
    }

    private void installModule(String correlationId, UpdateAction.Module module) {
        OperationStatus status = OperationStatus.ofModule(correlationId, Status.STARTED, module.module());
        LOG.info("Installing software module {} {}", module.module().name(), module.module().version());
        reporter.lastOperation(status);
        reporter.lastOperation(status.with(Status.DOWNLOADING));
        try {
            List<ContainerSpec> specs = new ArrayList<>();
            for (UpdateAction.Artifact artifact : module.artifacts()) {
                specs.add(fetch(artifact));
            }
            reporter.lastOperation(status.with(Status.DOWNLOADED));
            reporter.lastOperation(status.with(Status.INSTALLING));
            List<ContainerId> created = new ArrayList<>();
            for (ContainerSpec spec : specs) {
                created.add(commands.create(spec, false));
            }
            reporter.lastOperation(status.with(Status.INSTALLED));
            for (ContainerId id : created) {
                commands.start(id);
            }
            reporter.lastOperation(status.with(Status.FINISHED_SUCCESS));
            LOG.info("Installed software module {} {}", module.module().name(), module.module().version());
        } catch (ArtifactException e) {
            fail(status.with(e.rejected() ? Status.FINISHED_REJECTED : Status.FINISHED_ERROR), e.getMessage());
        } catch (RuntimeException e) {
            fail(status.with(Status.FINISHED_ERROR), String.valueOf(e.getMessage()));
        }
    }

    /** Downloads, verifies and reads one container descriptor. */
    private ContainerSpec fetch(UpdateAction.Artifact artifact) {
        byte[] body = downloader.download(artifact.url());
        Checksums.verify(body, artifact.checksums());
        try {
            return ContainerDescriptorMapper.parse(body);
        } catch (DescriptorException e) {
            // Kanto: a descriptor that cannot be decoded is an error, one that fails validation is rejected.
            throw new ArtifactException(e.getMessage(), e.kind() == DescriptorException.Kind.INVALID_VALUE, e);
        }
    }

    private void remove(RemoveAction action) {
        List<DependencyDescription> rejected = new ArrayList<>();
        List<DependencyDescription> failed = new ArrayList<>();
        List<DependencyDescription> removed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (DependencyDescription item : action.software()) {
            if (!action.forced() && !failed.isEmpty()) {
                rejected.add(item);
                continue;
            }
            OperationStatus removing = OperationStatus.ofSoftware(action.correlationId(), Status.REMOVING,
                    List.of(item));
            reporter.lastOperation(removing);
            try {
                ContainerId id = removeContainer(item.name());
                // Kanto publishes installedDependencies without the container before REMOVED; the twin follows the
                // engine's removal event, which may come after the remove call has returned. This runs on a
                // command-pool thread under this feature's key; the twin's loop only registers and ends the wait.
                if (!reporter.awaitRemoved(id, REMOVAL_EVENT_WAIT)) {
                    LOG.debug("The twin had not seen container {} removed after {}", item.name(), REMOVAL_EVENT_WAIT);
                }
                reporter.lastOperation(removing.with(Status.REMOVED));
                removed.add(item);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Could not remove container {}: {}", item.name(), e.getMessage());
                errors.add(String.valueOf(e.getMessage()));
                failed.add(item);
            }
        }
        if (!rejected.isEmpty()) {
            fail(OperationStatus.ofSoftware(action.correlationId(), Status.FINISHED_REJECTED, rejected), null);
        }
        if (!failed.isEmpty()) {
            fail(OperationStatus.ofSoftware(action.correlationId(), Status.FINISHED_ERROR, failed),
                    compound(errors));
        }
        if (!removed.isEmpty()) {
            reporter.lastOperation(OperationStatus.ofSoftware(action.correlationId(), Status.FINISHED_SUCCESS,
                    removed));
        }
    }

    private ContainerId removeContainer(String name) {
        String missing = "container with ID = " + name + " does not exist";
        ContainerId id;
        try {
            id = ContainerId.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(missing, e);
        }
        if (engine.inspect(id).isEmpty()) {
            throw new IllegalArgumentException(missing);
        }
        commands.remove(id, true);
        return id;
    }

    private void fail(OperationStatus status, String message) {
        OperationStatus failure = status.withMessage(message);
        LOG.warn("Software operation \"{}\" ended with {}{}", status.correlationId(), status.status(),
                message == null ? "" : ": " + message);
        reporter.lastFailedOperation(failure);
        reporter.lastOperation(failure);
    }

    /** Several errors in one message, as Kanto's compound error prints them. */
    private static String compound(List<String> errors) {
        if (errors.size() == 1) {
            return errors.get(0);
        }
        return errors.size() + " errors:\n\n* " + String.join("\n* ", errors);
    }
}
