package io.gantry.app.cli;

import io.gantry.app.dashboard.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gantry dashboard-password}: reads a password (twice, without echo, on a terminal; one line from standard input
 * otherwise) and prints the hash for {@code dashboard.password_hash}. The password is never a command-line argument.
 */
@Command(name = "dashboard-password", mixinStandardHelpOptions = true,
        description = "Reads the dashboard password (from the terminal, or one line of standard input) and prints"
                + " its hash for dashboard.password_hash.")
final class DashboardPasswordCommand implements Callable<Integer> {

    /** Fewer characters are too easy to guess, even at a few guesses a minute. */
    static final int MIN_LENGTH = 8;

    @ParentCommand
    GantryCommand gantry;

    @Override
    public Integer call() throws IOException {
        char[] password = read();
        try {
            if (password.length < MIN_LENGTH) {
                gantry.err().println("gantry: the password must have at least " + MIN_LENGTH + " characters");
                gantry.err().flush();
                return ExitCodes.USAGE;
            }
            gantry.out().println(PasswordHash.of(password).format());
            gantry.out().flush();
            return ExitCodes.OK;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Dashboard password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw new IllegalArgumentException("the two passwords differ");
            }
            Arrays.fill(again, '\0');
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? new char[0] : line.toCharArray();
    }
}
