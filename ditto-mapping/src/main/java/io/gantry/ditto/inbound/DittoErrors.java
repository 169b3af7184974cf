package io.gantry.ditto.inbound;

import io.gantry.core.policy.ContainerRefusedException;
import io.gantry.core.command.CommandFailedException;
import io.gantry.core.container.EngineException;
import io.gantry.kanto.json.DescriptorException;
import io.gantry.ditto.protocol.DittoError;
import io.gantry.ditto.protocol.DittoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an exception becomes a Ditto error status (reference/kanto-things.md §2.4, with Kanto's
 * codes): arguments that cannot be read, and metrics requests that cannot be carried out (§3.4), are 400
 * {@code messages:parameter.invalid}; refused or failed operations, engine failures and invalid values are 500
 * {@code messages:execution.failed} with their message, as Kanto passes the container manager's error text.
 */
public final class DittoErrors {

    private static final Logger LOG = LoggerFactory.getLogger(DittoErrors.class);

    private DittoErrors() {
    }

    public static DittoError from(Throwable failure) {
        if (failure instanceof DittoException e) {
            return e.error();
        }
        if (failure instanceof DescriptorException e) {
            return e.kind() == DescriptorException.Kind.WRONG_TYPE ? DittoError.parameterInvalid(e.getMessage())
                    : DittoError.executionFailed(e.getMessage());
        }
        if (failure instanceof ContainerRefusedException e) {
            return DittoError.forbidden(e.getMessage());
        }
        if (failure instanceof CommandFailedException || failure instanceof EngineException
                || failure instanceof IllegalArgumentException) {
            return DittoError.executionFailed(String.valueOf(failure.getMessage()));
        }
        // Anything else is a defect in Gantry: a person should look.
        LOG.error("Operation failed unexpectedly: {}", failure.toString(), failure);
        return DittoError.executionFailed("internal error: " + failure.getClass().getSimpleName());
    }
}
