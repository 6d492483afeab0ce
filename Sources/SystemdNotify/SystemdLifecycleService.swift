import ListenerReadiness
import Logging
import ServiceLifecycle

/// READY=1 once the store is open and every listener bound (`Readiness`), STOPPING=1
/// as soon as graceful shutdown starts. Put it last in the `ServiceGroup`:
/// the group shuts services down from the last to the first, so systemd
/// hears STOPPING=1 before the others start closing.
public struct SystemdLifecycleService: Service {
    let notifier: SystemdNotifier
    let readiness: Readiness
    let logger: Logger
    /// Runs as graceful shutdown starts, with STOPPING=1 (`/readyz` turns 503).
    let onStopping: @Sendable () -> Void

    public init(
        notifier: SystemdNotifier, readiness: Readiness, logger: Logger,
        onStopping: @escaping @Sendable () -> Void = {}
    ) {
        self.notifier = notifier
        self.readiness = readiness
        self.logger = logger
        self.onStopping = onStopping
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await readiness.waitUntilUp() }
            send("READY=1") { try notifier.ready(status: "serving: \(readiness.summary)") }
        } catch {
            // Shut down (or cancelled) before every listener was bound: no READY=1.
        }
        if !Task.isShuttingDownGracefully {
            do { try await gracefulShutdown() } catch { return }  // cancelled: the group failed
        }
        onStopping()
        send("STOPPING=1") { try notifier.stopping(status: "stopping: closing listeners, committing what is queued") }
    }

    private func send(_ what: String, _ body: () throws -> Bool) {
        do {
            if try body() { logger.info("systemd notified", metadata: ["state": "\(what)"]) }
        } catch {
            logger.warning("systemd notification failed", metadata: ["state": "\(what)", "error": "\(error)"])
        }
    }
}

extension SystemdLifecycleService: CustomStringConvertible {
    public var description: String { "SystemdLifecycleService" }
}
