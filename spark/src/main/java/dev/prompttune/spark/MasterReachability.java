package dev.prompttune.spark;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a standalone master ({@code spark://host:port}, or several comma-separated for standby masters) answers
 * before a Spark context is made for it. Spark itself retries an unreachable master for about a minute, printing
 * stack traces, then shuts the context down while the run goes on to fail at its first step; one connection attempt
 * per master says the same in seconds, in one line, before anything starts.
 */
final class MasterReachability {

    /** How long one master may take to accept a connection. */
    static final int TIMEOUT_MS = 5_000;

    private MasterReachability() {}

    /** Refuses a {@code spark://} master none of whose hosts accepts a connection; other masters pass. */
    static void require(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            String problem = problem(hostPort.strip());
            if (problem == null) {
                return;
            }
            problems.add(problem);
        }
        throw new PromptTuneException("cluster '" + master + "': cannot reach the Spark master: "
                + String.join("; ", problems) + "; allowed: the address of a running standalone master (spark://HOST:PORT)");
    }

    /** Null when {@code host:port} accepts a connection, else why not, in words. */
    private static String problem(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return hostPort + " has no port";
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            return hostPort + " has no port number";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            return null;
        } catch (UnknownHostException e) {
            return "unknown host " + host;
        } catch (SocketTimeoutException e) {
            return hostPort + " did not answer within " + TIMEOUT_MS / 1000 + " s";
        } catch (ConnectException e) {
            return hostPort + " refused the connection";
        } catch (IOException | IllegalArgumentException e) {
            return hostPort + ": " + e.getMessage();
        }
    }
}
