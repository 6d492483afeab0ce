import PhoneAPI
import Store

/// How a device's phone is reached: the same for the worker and for
/// `autoprov phone`.
extension PostProvisionSettings {
    /// `/xmlService` at `ip` with the configured scheme and port.
    public func endpoint(ip: String) -> PhoneEndpoint {
        PhoneEndpoint(host: ip, port: port, scheme: scheme == .https ? .https : .http)
    }

    /// The device's web admin account, else the configured default; Basic
    /// over plain http allowed only for the groups listed.
    public func credentials(for device: Device) -> PhoneCredentials {
        PhoneCredentials(
            user: device.adminUser ?? defaultAdminUser, password: device.adminPassword ?? defaultAdminPassword,
            basicOverHTTP: basicOverHTTPGroups.contains(device.group))
    }

    /// The client's limits and TLS check.
    public var clientSettings: HTTPPhoneAPIClient.Settings {
        .init(
            timeout: .milliseconds(Int64(requestTimeout * 1000)),
            connectTimeout: .milliseconds(Int64(min(requestTimeout, 3) * 1000)),
            tlsVerification: verifyTLS ? .full : .none)
    }
}
