package io.gantry.app.dashboard;

import io.gantry.core.command.CommandFailedException;
import io.gantry.core.command.ContainerCommands;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerNotFoundException;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineUnavailableException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start, stop, restart and remove from the dashboard, through the same {@link ContainerCommands} as the twin's
 * commands (state checks and messages included). Containers Gantry did not create are refused unless
 * {@code dashboard.act_on_unmanaged} allows them; a remove needs the container's name as its confirmation. Every
 * refusal is an {@link HttpProblem}. Blocks until the engine has answered.
 */
final class Actions {

    private static final Logger LOG = LoggerFactory.getLogger(Actions.class);
    /** The dashboard names containers by their full id only: no prefixes, no names. */
    private static final Pattern FULL_ID = Pattern.compile("^[0-9a-f]{64}$");

    private final ContainerEngine engine;
    private final ContainerCommands commands;
    private final boolean actOnUnmanaged;

    Actions(ContainerEngine engine, boolean actOnUnmanaged) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.commands = new ContainerCommands(engine);
        this.actOnUnmanaged = actOnUnmanaged;
    }

    /** The container with the full id {@code text}: 400 when it is not an id, 404 when there is none. */
    Container find(String text) {
        if (!FULL_ID.matcher(text).matches()) {
            throw new HttpProblem(400, "not a container id (64 hexadecimal digits)");
        }
        try {
            return engine.inspect(new ContainerId(text))
                    .orElseThrow(() -> new HttpProblem(404, "no container with id " + text));
        } catch (ContainerNotFoundException e) {
            throw new HttpProblem(404, "no container with id " + text);
        } catch (EngineUnavailableException e) {
            throw new HttpProblem(503, "the container engine does not answer");
        }
    }

    /** Runs {@code action} on the container {@code idText}; {@code who} names the client in the log. */
    String run(String idText, String action, Map<String, String> form, String who) {
        if (!action.matches("start|stop|restart|remove")) {
            throw new HttpProblem(404, "no action " + action + " (start, stop, restart or remove)");
        }
        Container c = find(idText);
        if (!c.managed() && !actOnUnmanaged) {
            throw new HttpProblem(403, "container " + c.name() + " was not created by Gantry, and"
                    + " dashboard.act_on_unmanaged is off");
        }
        if (action.equals("remove") && !c.name().value().equals(form.get("confirm"))) {
            throw new HttpProblem(400, "remove needs the container's name as confirmation (confirm=" + c.name() + ")");
        }
        try {
            switch (action) {
                case "start" -> commands.start(c.id());
                case "stop" -> commands.stop(c.id());
                case "restart" -> {
                    if (c.status().isAlive()) {
                        commands.stop(c.id());
                    }
                    commands.start(c.id());
                }
                default -> commands.remove(c.id(), true);
            }
        } catch (CommandFailedException | ContainerConflictException e) {
            throw new HttpProblem(409, e.getMessage());
        } catch (EngineUnavailableException e) {
            throw new HttpProblem(503, "the container engine does not answer");
        } catch (EngineException e) {
            LOG.warn("Dashboard: {} of container {} failed: {}", action, c.name(), e.getMessage());
            throw new HttpProblem(502, "the engine refused: " + e.getMessage());
        }
        LOG.info("Dashboard: {} of container {} ({}) for {}", action, c.name(), c.id().shortForm(), who);
        return action + " of " + c.name() + " done";
    }
}
