import ConfigServer
import Foundation
import Rendering
import Store

/// Checks of the inventory, config server and admin sections.
extension ConfigValidator {
    mutating func validate(_ inventory: ConfigFile.InventorySection) -> RenderSettings {
        let override = inventory.templates.isEmpty ? nil : inventory.templates
        if let override, !Self.isDirectory(override) {
            issue("inventory.templates", "expected a folder, \(override) is not one")
        }
        var shipped = inventory.shippedTemplates
        if shipped.isEmpty {
            shipped = Self.shippedTemplateCandidates().first(where: Self.isDirectory) ?? ""
            if shipped.isEmpty {
                issue("inventory.shipped_templates", "the shipped Templates folder was not found in \(Self.shippedTemplateCandidates().joined(separator: ", ")); set this key")
            }
        } else if !Self.isDirectory(shipped) {
            issue("inventory.shipped_templates", "expected a folder, \(shipped) is not one")
        }
        for (name, value) in inventory.variables.sorted(by: { $0.key < $1.key }) {
            checkVariable(name, value, key: "inventory.variables.\(name)")
        }
        for (model, variables) in inventory.modelVariables.sorted(by: { $0.key < $1.key }) {
            for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
                checkVariable(name, value, key: "inventory.model_variables.\(model).\(name)")
            }
        }
        return RenderSettings(
            overrideFolder: override, shippedFolder: shipped, globalVariables: inventory.variables,
            modelVariables: inventory.modelVariables)
    }

    private mutating func checkVariable(_ name: String, _ value: String, key: String) {
        if !DeviceValidation.isVariableName(name) {
            issue(key, "expected a variable name like ntp_server ([a-z][a-z0-9_]*)")
        } else if DeviceValidation.reservedNames.contains(name) {
            issue(key, "\(name) is set by autoprov itself")
        }
        do {
            try DeviceValidation.checkValue(value, field: key)
        } catch let error as InventoryError {
            if case .invalid(_, let message) = error { issue(key, message) }
        } catch {
            issue(key, String(describing: error))
        }
    }

    mutating func validate(_ section: ConfigFile.DigestSection) -> DigestSettings {
        let defaults = DigestSettings()
        var settings = defaults
        let seconds: [(String, Double, ClosedRange<Double>, WritableKeyPath<DigestSettings, Double>)] = [
            ("nonce_lifetime", section.nonceLifetime, DigestSettings.nonceLifetimeRange, \.nonceLifetime),
            ("failure_window", section.failureWindow, DigestSettings.failureWindowRange, \.failureWindow),
            ("cooldown", section.cooldown, DigestSettings.cooldownRange, \.cooldown),
        ]
        for (key, value, range, path) in seconds {
            if range.contains(value) { settings[keyPath: path] = value } else {
                issue("config_server.digest.\(key)", "expected seconds in \(range.lowerBound)...\(range.upperBound), got \(value)")
            }
        }
        if DigestSettings.maxFailuresRange.contains(section.maxFailures) { settings.maxFailures = section.maxFailures } else {
            let range = DigestSettings.maxFailuresRange
            issue("config_server.digest.max_failures", "expected \(range.lowerBound)...\(range.upperBound), got \(section.maxFailures)")
        }
        return settings
    }

    mutating func validate(_ server: ConfigFile.ConfigServerSection, inventory: ConfigFile.InventorySection) -> ConfigServerSettings {
        var settings = ConfigServerSettings(enabled: server.enabled)
        settings.listen = listen(server.listen, key: "config_server.listen") ?? settings.listen
        if server.pathPrefix.hasPrefix("/"), server.pathPrefix.hasSuffix("/"), !server.pathPrefix.contains(".."),
           !server.pathPrefix.contains("%"), server.pathPrefix.count <= 64 {
            settings.pathPrefix = server.pathPrefix
        } else {
            issue("config_server.path_prefix", "expected a path starting and ending with / (like /prov/), got \"\(server.pathPrefix)\"")
        }
        settings.authorization = FetchAuthorization(rawValue: server.authorize) ?? {
            issue("config_server.authorize", "expected one of \(FetchAuthorization.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(server.authorize)\"")
            return .leasedIP
        }()
        if server.digestRealm.isEmpty || server.digestRealm.contains("\"") {
            issue("config_server.digest_realm", "expected a realm name without quotes")
        }
        settings.digestRealm = server.digestRealm
        settings.perDeviceSecret = server.perDeviceSecret
        settings.digest = validate(server.digest)
        settings.unknownDevices = UnknownDevicePolicy(rawValue: inventory.unknownDevices) ?? {
            issue("inventory.unknown_devices", "expected 404 or autocreate, got \"\(inventory.unknownDevices)\"")
            return .notFound
        }()
        if !DeviceValidation.isGroupName(inventory.defaultGroup) {
            issue("inventory.default_group", "expected 1-64 of A-Z a-z 0-9 _ . -, got \"\(inventory.defaultGroup)\"")
        }
        settings.defaultGroup = inventory.defaultGroup
        settings.limits = validate(server.limits, defaults: ConnectionLimits(), key: "config_server.limits")
        let https = server.https
        if !https.listen.isEmpty || !https.certificate.isEmpty || !https.key.isEmpty {
            let address = listen(https.listen, key: "config_server.https.listen")
            for (key, path) in [("certificate", https.certificate), ("key", https.key)] where !FileManager.default.isReadableFile(atPath: path) {
                issue("config_server.https.\(key)", "expected a readable PEM file, got \"\(path)\"")
            }
            if let address {
                settings.https = .init(listen: address, certificate: https.certificate, key: https.key)
            }
        }
        return settings
    }

    mutating func validate(_ admin: ConfigFile.AdminSection, storePath: String) -> AdminSettings {
        let address = listen(admin.listen, key: "admin.listen") ?? ListenAddress(host: "127.0.0.1", port: 8081)
        let tokenFile = admin.tokenFile.isEmpty
            ? URL(fileURLWithPath: storePath).deletingLastPathComponent().appendingPathComponent("admin.token").path
            : admin.tokenFile
        let limits = validate(admin.limits, defaults: .admin, key: "admin.limits")
        return AdminSettings(enabled: admin.enabled, listen: address, tokenFile: tokenFile, limits: limits)
    }

    private mutating func listen(_ text: String, key: String) -> ListenAddress? {
        guard let address = ListenAddress(text) else {
            issue(key, "expected host:port like 0.0.0.0:8080, got \"\(text)\"")
            return nil
        }
        return address
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Where the shipped templates are when the config does not say: next to
    /// an installed binary, in a build tree, or in the current folder.
    static func shippedTemplateCandidates() -> [String] {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "autoprov").resolvingSymlinksInPath()
        let binDir = executable.deletingLastPathComponent()
        return [
            binDir.appendingPathComponent("../share/autoprov/Templates").standardized.path,
            binDir.appendingPathComponent("../../Templates").standardized.path,
            // .build/<triple>/debug/autoprov in a source tree
            binDir.appendingPathComponent("../../../Templates").standardized.path,
            "/usr/share/autoprov/Templates",
            FileManager.default.currentDirectoryPath + "/Templates",
        ]
    }
}
