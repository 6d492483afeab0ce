/// Why a phone's request was not served: logged, counted, and recorded in
/// the device's events when the device is known.
public enum FetchRefusal: String, Sendable, CaseIterable {
    case badPath = "bad-path"
    case method
    case notFound = "not-found"
    case zeroMAC = "zero-mac"
    case unknownDevice = "unknown-device"
    case notLeasedIP = "not-leased-ip"
    case userAgentMismatch = "user-agent-mismatch"
    case digestMissing = "digest-missing"
    case digestBad = "digest-bad"
    /// A right response with a nonce count already used (a replayed header).
    case digestReplay = "digest-replay"
    /// Too many failed Digest attempts from the address: refused unchecked.
    case digestThrottled = "digest-throttled"
    case noTemplate = "no-template"
    case noFirmware = "no-firmware"
    case renderError = "render-error"
}
