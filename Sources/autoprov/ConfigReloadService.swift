import AutoprovConfig
import ConfigServer
import DHCPServer
import ListenerReadiness
import Logging
import PostProvision
import Reloading
import Rendering
import ServiceLifecycle
import SystemdNotify
import UnixSignals

/// What a reload reaches in a running `serve`: each part present only when
/// its service runs.
struct ReloadTargets: Sendable {
    var dhcp: DHCPServerService?
    var renderer: Renderer?
    var phoneFiles: PhoneFileService?
    var worker: ProvisioningWorker?
}

/// SIGHUP: reads the config file again and applies it to the running
/// services, all or nothing. Leases, in-flight jobs and connections stay.
///
/// Applied live: the log level, DHCP classes, reservations, pools, options,
/// lease times and policies, the template folders, variables and vendor
/// profile (template edits are picked up without a signal anyway), the
/// config server's authorisation, path prefix and unknown-device policy,
/// and the post-provisioning deadlines, codes, retries, concurrency, API
/// port and default account. A file that does not validate, or that
/// changes something only a restart can (the store, listeners, sockets,
/// subnets' networks, what is enabled), is refused: its reasons are logged
/// and the running configuration stays as it was.
final class ConfigReloadService: Service, Sendable {
    private let path: String
    private let targets: ReloadTargets
    private let notifier: SystemdNotifier
    /// Startup's READY=1 comes from `SystemdLifecycleService`: a reload
    /// before it must not announce readiness early.
    private let readiness: Readiness
    private let logger: Logger
    private let running: Reloadable<AutoprovSettings>
    private let load: @Sendable (String) throws(ConfigError) -> AutoprovSettings

    init(
        path: String, settings: AutoprovSettings, targets: ReloadTargets, notifier: SystemdNotifier,
        readiness: Readiness, logger: Logger,
        load: @escaping @Sendable (String) throws(ConfigError) -> AutoprovSettings = { path throws(ConfigError) in
            try ConfigLoader.load(path: path)
        }
    ) {
        self.path = path
        self.targets = targets
        self.notifier = notifier
        self.readiness = readiness
        self.logger = logger
        self.load = load
        running = Reloadable(settings)
    }

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// One reload; true when the new configuration is in force. systemd
    /// hears RELOADING=1, then READY=1 with the outcome in STATUS=.
    @discardableResult
    func reload() -> Bool {
        guard readiness.isUp else { return apply() }
        _ = try? notifier.reloading()
        let applied = apply()
        let outcome = applied ? "configuration reloaded" : "reload refused, see the log"
        _ = try? notifier.ready(status: "serving: \(readiness.summary) (\(outcome))")
        return applied
    }

    private func apply() -> Bool {
        logger.notice("SIGHUP: reloading the configuration", metadata: ["file": "\(path)"])
        let new: AutoprovSettings
        do {
            new = try load(path)
        } catch {
            for issue in error.issues {
                logger.error("reload refused: invalid configuration", metadata: ["key": "\(issue.key)", "problem": "\(issue.message)"])
            }
            logger.error("reload refused; the running configuration is unchanged", metadata: ["issues": "\(error.issues.count)"])
            return false
        }
        let old = running.current
        let keys = Self.restartNeeded(old: old, new: new)
        guard keys.isEmpty else {
            logger.error("reload refused: needs a restart, not a reload; the running configuration is unchanged",
                         metadata: ["changed": "\(keys.joined(separator: ", "))"])
            return false
        }
        do {
            // The renderer first: it is the only part that can still fail
            // (reading the vendor profile); nothing has changed yet if it does.
            try targets.renderer?.reload(settings: new.render)
        } catch {
            logger.error("reload refused: templates; the running configuration is unchanged", metadata: ["error": "\(error)"])
            return false
        }
        // Checked above: none of these can refuse now.
        try? targets.dhcp?.reload(new.dhcp)
        try? targets.phoneFiles?.reload(settings: new.configServer)
        try? targets.worker?.reload(settings: new.postProvision)
        LiveLogLevel.set(new.logLevel)
        running.replace(new)
        logger.notice("configuration reloaded", metadata: [
            "classes": "\(new.dhcp.classes.count)", "reservations": "\(new.dhcp.reservations.count)",
            "log_level": "\(new.logLevel)",
        ])
        return true
    }

    /// Every key whose change only a restart applies, across the sections.
    static func restartNeeded(old: AutoprovSettings, new: AutoprovSettings) -> [String] {
        var keys: [String] = []
        if old.storePath != new.storePath { keys.append("store.path") }
        if old.synchronous != new.synchronous { keys.append("store.synchronous") }
        if old.retention != new.retention { keys.append("store.retention") }
        if old.dhcpEnabled != new.dhcpEnabled { keys.append("dhcp.enabled") }
        if old.dhcpEnabled { keys += old.dhcp.restartNeeded(toApply: new.dhcp) }
        if old.observeInterfaces != new.observeInterfaces { keys.append("dhcp.interfaces (observe)") }
        keys += old.configServer.restartNeeded(toApply: new.configServer)
        if old.admin.enabled != new.admin.enabled || old.admin.listen != new.admin.listen
            || old.admin.tokenFile != new.admin.tokenFile {
            keys.append("admin")
        }
        if old.admin.limits != new.admin.limits { keys.append("admin.limits") }
        keys += old.postProvision.restartNeeded(toApply: new.postProvision)
        // SIP PnP's sockets and URL are fixed at start.
        let (p, q) = (old.sipPnP, new.sipPnP)
        if p.enabled != q.enabled || (p.enabled && (p.interfaces != q.interfaces || p.port != q.port || p.group != q.group || p.url != q.url)) {
            keys.append("sip_pnp")
        }
        // Observe mode and SIP PnP take the classes' OUIs and MACs at start:
        // a reload that changed them would leave those two behind.
        if (!old.observeInterfaces.isEmpty || p.enabled), old.dhcp.classes != new.dhcp.classes {
            keys.append("dhcp.classes (observe mode and SIP PnP use them)")
        }
        return keys
    }
}
