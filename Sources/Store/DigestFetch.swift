/// The newest fetch of a device's own file that passed a Digest check:
/// proof that whoever was at `ip` then knew the device's provisioning
/// password. The provisioning worker requires it (when the config server
/// requires Digest) before it sends the phone anything.
public struct DigestFetch: Sendable, Equatable, Codable {
    public var time: Double
    public var ip: String

    public init(time: Double, ip: String) {
        self.time = time
        self.ip = ip
    }
}
